"""The consultation forms' texts in every language: what was typed is kept, an error stands
next to the field it is about, the original language's required texts are checked there."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from consultations.forms import ConsultationInput, QuestionInput
from participation.forms import bind
from participation.i18n import LOCALES, use_locale
from participation.i18n import gettext as _

MAX = {"title": 200, "summary": 1000, "body": 50000}
REQUIRED = ("title", "summary")

# empty, blank, short, and just around the title's limit; Persian and Arabic letters too
letters = st.characters(codec="utf-8", exclude_characters="\x00")
some_text = st.one_of(
    st.just(""),
    st.sampled_from([" ", "\n", " \t "]),
    st.text(letters, max_size=30),
    st.text(st.sampled_from("اب پ ک a"), min_size=195, max_size=210),
)


def normalised(name: str, typed: str) -> str:
    """What the form keeps of a text: the title on one line, the others stripped."""
    return " ".join(typed.split()) if name == "title" else typed.strip()


@settings(max_examples=150, deadline=None)
@given(
    original=st.sampled_from(LOCALES),
    typed=st.dictionaries(
        st.sampled_from([f"{n}_{loc}" for n in MAX for loc in LOCALES]), some_text, max_size=12
    ),
    locale=st.sampled_from(LOCALES),
)
def test_texts_in_every_language_are_kept_and_errors_stand_next_to_their_field(
    original: str, typed: dict[str, str], locale: str
) -> None:
    submitted = {"original_locale": original, **typed}
    with use_locale(locale):
        form = bind(ConsultationInput, submitted, bodies={})
        ok = form.validate()
        required_here = _("This field is required in the original language.")
    for name, value in submitted.items():
        assert form.value(name) == value  # shown back exactly as typed
    expected_errors = set()
    for name, limit in MAX.items():
        for loc in LOCALES:
            field = f"{name}_{loc}"
            text = normalised(name, typed.get(field, ""))
            if len(text) > limit:
                expected_errors.add(field)
            elif not text and loc == original and name in REQUIRED:
                expected_errors.add(field)
                assert form.errors[field] == required_here
    assert set(form.errors) == expected_errors
    assert ok is not expected_errors
    if ok:
        i18n = form.data.i18n
        for name in MAX:
            for loc in LOCALES:
                text = normalised(name, typed.get(f"{name}_{loc}", ""))
                assert (i18n.get(loc) or {}).get(name, "") == text
        assert form.data.original_locale == original


@given(original=st.sampled_from(LOCALES), other=st.sampled_from(LOCALES))
def test_options_are_checked_against_the_original_language(original: str, other: str) -> None:
    submitted = {"original_locale": original, "kind": "single", f"text_{original}": "Agree?",
                 f"options_{original}": "Yes\nNo"}  # fmt: skip
    if other != original:
        submitted[f"options_{other}"] = "Only one"
    form = bind(QuestionInput, submitted)
    if other == original:
        assert form.validate(), form.errors
        assert [o["i18n"][original] for o in form.data.options] == ["Yes", "No"]
    else:
        assert not form.validate()
        assert form.errors == {
            f"options_{other}": "Give the same number of options in every language."
        }
        assert form.value(f"options_{other}") == "Only one"


def test_every_error_of_a_question_is_shown_at_once() -> None:
    form = bind(QuestionInput, {"original_locale": "fa", "kind": "multiple",
                                "options_fa": "بله", "options_en": "Yes\nNo\nMaybe"})  # fmt: skip
    assert not form.validate()
    assert form.errors == {
        "text_fa": "This field is required in the original language.",
        "options_fa": "Please give at least two options, one per line.",
        "options_en": "Give the same number of options in every language.",
    }
