"""No code reaches a reader: every action the tree records in the audit log has a label (the
log showed `petition.reject` for 34 of its 44 actions), and every label is a translated
sentence, not the code again."""

from __future__ import annotations

from participation.audit.views import ACTION_LABELS, TARGET_LABELS
from participation.i18n import use_locale
from tests.pages.codes import action_pattern, audit_actions


def test_the_tree_records_actions_and_the_scan_finds_them() -> None:
    actions = audit_actions()
    assert {"account.register", "petition.reject", "consultation.*.publish"} <= actions
    assert len(actions) > 30


def test_every_recorded_action_has_a_label() -> None:
    missing = sorted(
        a for a in audit_actions() if not any(action_pattern(a).match(k) for k in ACTION_LABELS)
    )
    assert not missing, f"audit actions without a label in participation/audit/views.py: {missing}"


def test_labels_are_translated_sentences() -> None:
    for locale in ("fa", "ar"):
        with use_locale(locale):
            for code, label in {**ACTION_LABELS, **TARGET_LABELS}.items():
                text = str(label)
                assert text != label.message, f"{code}: {label.message!r} is not translated"
                assert not any("a" <= ch.lower() <= "z" for ch in text), (code, text)
