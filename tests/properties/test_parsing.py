"""Property-based tests of the small parsers every request goes through: ids, numbers in any of
our digits, the typed form fields."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from participation.forms import BIGINT_MAX, INT_MAX, FormModel, Integer, Text, bind, parse_int
from participation.i18n import use_locale

PERSIAN = "۰۱۲۳۴۵۶۷۸۹"
ARABIC = "٠١٢٣٤٥٦٧٨٩"


def in_digits(n: int, digits: str) -> str:
    text = str(n)
    return text.translate(str.maketrans("0123456789", digits))


@given(
    st.integers(min_value=0, max_value=INT_MAX), st.sampled_from(["0123456789", PERSIAN, ARABIC])
)
def test_every_id_in_range_reads_back_in_any_digits(n: int, digits: str) -> None:
    assert parse_int(in_digits(n, digits)) == n
    assert parse_int(f"  {in_digits(n, digits)} ") == n


@given(st.integers())
def test_a_number_outside_the_range_is_none_never_an_error(n: int) -> None:
    got = parse_int(str(n), low=0, high=INT_MAX)
    assert got == (n if 0 <= n <= INT_MAX else None)
    big = parse_int(str(n), low=0, high=BIGINT_MAX)
    assert big == (n if 0 <= n <= BIGINT_MAX else None)


@given(st.text(max_size=40))
def test_any_text_is_a_number_or_none(raw: str) -> None:
    got = parse_int(raw, low=-(2**63), high=2**63)
    assert got is None or isinstance(got, int)
    if got is not None:  # what was read is what was written, digits aside
        assert str(abs(got)) in raw.strip().translate(
            str.maketrans(PERSIAN + ARABIC, "0123456789" * 2)
        ).lstrip("+-")


class Numbers(FormModel):
    score: Integer(1, 5)
    note: Text(20, required=False) = ""


@given(st.text(max_size=30), st.text(max_size=60), st.sampled_from(["en", "fa", "ar", "fr"]))
def test_a_form_never_raises_and_keeps_what_was_typed(score: str, note: str, locale: str) -> None:
    with use_locale(locale):
        form = bind(Numbers, {"score": score, "note": note})
        ok = form.validate()
    assert form.value("score") == score and form.value("note") == note
    if ok:
        assert 1 <= form.data.score <= 5 and len(form.data.note) <= 20
    else:
        assert set(form.errors) <= {"score", "note"} and all(form.errors.values())
        if locale in ("fa", "ar"):  # numbers in a Persian or Arabic error are in its digits
            assert not any(c.isascii() and c.isdigit() for c in "".join(form.errors.values()))


@given(st.integers(min_value=1, max_value=5), st.sampled_from([PERSIAN, ARABIC]))
def test_persian_and_arabic_digits_are_accepted_in_number_fields(n: int, digits: str) -> None:
    form = bind(Numbers, {"score": in_digits(n, digits)})
    assert form.validate() and form.data.score == n


# -- the urlencoded body, parsed once by the CSRF check for the view (participation.web) --------

_BODY_BYTES = st.lists(
    st.one_of(
        st.sampled_from([b"&", b"=", b"+", b";", b"%", b"%2", b"%26", b"%3D", b"%2B", b"%E2%82%AC",
                         b"%C3", b"%zz", b"csrf_token", b"text", "\u0641\u0627".encode()]),
        st.binary(min_size=1, max_size=4),
    ),
    max_size=30,
).map(b"".join)  # fmt: skip


def _starlette_form(body: bytes) -> list[tuple[str, object]]:
    import asyncio

    from starlette.datastructures import Headers
    from starlette.formparsers import FormParser

    async def stream():  # type: ignore[no-untyped-def]
        yield body

    headers = Headers({"content-type": "application/x-www-form-urlencoded"})
    return list(asyncio.run(FormParser(headers, stream()).parse()).multi_items())


@given(_BODY_BYTES)
def test_the_csrf_checks_form_reading_is_starlettes(body: bytes) -> None:
    """read_form takes an urlencoded form from the CSRF check instead of parsing the body
    again: the same fields, names and values as Starlette's own parser, for any bytes."""
    from participation.web.middleware import parse_urlencoded

    assert parse_urlencoded(body) == _starlette_form(body)


def test_a_form_with_too_many_or_too_long_fields_is_refused() -> None:
    from participation.web.middleware import MAX_FIELD, MAX_FIELDS, parse_urlencoded

    assert parse_urlencoded(b"&".join([b"a=1"] * MAX_FIELDS)) is not None
    assert parse_urlencoded(b"&".join([b"a=1"] * (MAX_FIELDS + 1))) is None
    assert parse_urlencoded(b"a=" + b"x" * MAX_FIELD) is not None
    assert parse_urlencoded(b"a=" + b"x" * (MAX_FIELD + 1)) is None
