"""The catalogues are complete: messages.pot matches the code, fa/ar/fr translate everything."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.checkers import python_format
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parents[3]
LOCALES = ROOT / "locales"
PLURALS = {"fa": 2, "ar": 6, "fr": 2}


def _read(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as f:
        return read_po(f, locale=locale)


def _ids(catalog: Catalog) -> set[object]:
    return {m.id if not m.context else (m.context, m.id) for m in catalog if m.id}


def _make_messages(out: Path) -> None:
    """`make messages` (the very command a developer runs), writing to a copy in ``out``."""
    shutil.copytree(LOCALES, out)
    stamp = out / "stamp"  # newer than pyproject.toml: make installs nothing
    stamp.touch()
    subprocess.run(
        ["make", "-s", "messages", f"LOCALES_DIR={out}", f"BIN={Path(sys.executable).parent}",
         f"STAMP={stamp}"],
        cwd=ROOT, check=True, capture_output=True,
    )  # fmt: skip


_DATES = re.compile(r'^"(POT-Creation-Date|PO-Revision-Date): .*\n"$', re.M)


def test_make_messages_changes_no_committed_catalogue(tmp_path: Path) -> None:
    out = tmp_path / "locales"
    _make_messages(out)
    fresh = _ids(_read(out / "messages.pot"))
    committed = _ids(_read(LOCALES / "messages.pot"))
    missing = sorted(map(str, fresh - committed))[:10]
    extra = sorted(map(str, committed - fresh))[:10]
    assert not missing and not extra, (
        f"locales/messages.pot is stale; run `make messages`. New: {missing} Gone: {extra}"
    )
    for name in ["messages.pot", *(f"{lang}/LC_MESSAGES/messages.po" for lang in PLURALS)]:
        before = _DATES.sub("", (LOCALES / name).read_text(encoding="utf-8"))
        after = _DATES.sub("", (out / name).read_text(encoding="utf-8"))
        assert before == after, f"`make messages` rewrites locales/{name}; run it and commit"


def test_macros_and_lazy_aliases_are_extracted() -> None:
    """Babel skips folders starting with "_" unless told otherwise, and knows only the
    keywords it is given: the "(not yet translated)" mark (templates/_macros/) and the
    petition states (``_l``) must reach the catalogue."""
    ids = _ids(_read(LOCALES / "messages.pot"))
    assert "(not yet translated)" in ids
    assert {"Collecting sponsors", "Waiting for moderation", "Tehran"} <= ids


@pytest.mark.parametrize("locale", ["fa", "ar", "fr"])
def test_catalogue_is_complete_and_not_fuzzy(locale: str) -> None:
    catalog = _read(LOCALES / locale / "LC_MESSAGES" / "messages.po", locale)
    template = _ids(_read(LOCALES / "messages.pot"))
    assert catalog.num_plurals == PLURALS[locale], catalog.plural_forms
    problems = []
    for m in catalog:
        if not m.id:
            continue
        if m.fuzzy:
            problems.append(f"fuzzy: {m.id!r}")
        strings = m.string if isinstance(m.string, tuple) else (m.string,)
        if not all(strings):
            problems.append(f"untranslated: {m.id!r}")
        else:
            try:
                python_format(catalog, m)
            except Exception as exc:
                problems.append(f"placeholders differ in {m.id!r}: {exc}")
    missing = template - _ids(catalog)
    problems.extend(f"missing: {mid!r}" for mid in sorted(map(str, missing)))
    assert not problems, f"{len(problems)} problem(s) in {locale}: " + "; ".join(problems[:15])


def test_persian_plural_header_follows_cldr() -> None:
    catalog = _read(LOCALES / "fa" / "LC_MESSAGES" / "messages.po", "fa")
    assert catalog.plural_forms.replace(" ", "") == "nplurals=2;plural=(n>1);"
