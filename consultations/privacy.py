"""What consultations hold about a person: questionnaire answers and the consultations they
follow. Erasing keeps the answers (the results count them; the account is anonymous) and ends
the follows."""

from __future__ import annotations

from typing import Any

from consultations.models import AnswerSet, Follow


async def export_person(user_id: int) -> dict[str, Any]:
    answers = await AnswerSet.filter(user_id=user_id).select_related("consultation")
    follows = await Follow.filter(user_id=user_id).select_related("consultation")
    out: dict[str, Any] = {}
    if answers:
        out["questionnaire_answers"] = [
            {"consultation": a.consultation.slug, "answers": a.answers,
             "channel": a.channel, "created_at": a.created_at, "updated_at": a.updated_at}
            for a in sorted(answers, key=lambda a: a.id)
        ]  # fmt: skip
    if follows:
        out["follows"] = [
            {"consultation": f.consultation.slug, "since": f.created_at}
            for f in sorted(follows, key=lambda f: f.id)
        ]
    return out


async def erase_person(user_id: int, *, keep_comments: bool) -> None:
    await Follow.filter(user_id=user_id).delete()
