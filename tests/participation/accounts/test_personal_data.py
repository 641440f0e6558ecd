"""Your own data: the export holds everything about the person and nothing of anyone else;
erasing leaves no name or address anywhere and every count as it was; old petitions' signers
are anonymised after the retention period."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
import pytest
from tortoise import Tortoise, fields

from consultations.models import AnswerSet, Consultation, Follow
from consultations.services import follow, outcome_figures, submit_answers
from participation.accountability.models import Commitment, CommitmentFollow, Response
from participation.accounts import personal_data
from participation.accounts.models import DataExport, ExportStatus, Session, User
from participation.accounts.principal import principal_of
from participation.accounts.services import start_session
from participation.audit.models import AuditEvent
from participation.audit.services import verify_chain
from participation.comments.models import Comment
from participation.comments.services import edit_comment, post_comment
from participation.errors import Invalid, NotFound
from participation.models import OutboxJob
from participation.moderation.models import Appeal, Flag, ModerationState
from participation.moderation.services import flag
from participation.organisations.models import Body, Membership, Role
from participation.reports.models import ReportExport, ReportStatus
from participation.settings import Settings
from participation.storage import storage_for
from participation.votes.models import Vote, VoteTally
from participation.votes.services import cast_vote
from petitions import privacy as petition_privacy
from petitions.models import Petition, Signature, SignatureStatus, Status
from petitions.signing import canonical_email
from tests.conftest import login, post_form
from tests.factories import PASSWORD, make_body, make_consultation, make_user
from tests.petitions.conftest import make_petition

NAME = "Parisa Privacyname"
EMAIL = "parisa.privacy@example.org"


@dataclass
class World:
    person: User
    other: User
    body: Body
    consultation: Consultation
    own_petition: Petition
    others_petition: Petition
    comment: Comment
    reply: Comment
    others_comment: Comment


async def _signature(p: Petition, name: str, email: str, user_id: int | None, ip: str) -> None:
    now = datetime.now(UTC)
    await Signature.create(
        petition_id=p.id, name=name, email=email, canonical_email=canonical_email(email),
        region="tehran", ip=ip, user_id=user_id, status=SignatureStatus.CONFIRMED,
        created_at=now, confirmed_at=now, counted=True,
    )  # fmt: skip


async def seed(settings: Settings) -> World:
    """A person with one of everything, and another person with the same kinds of things."""
    person = await make_user(EMAIL, name=NAME, region="Yazd")
    other = await make_user("oskar.other@example.org", name="Oskar Othername")
    body = await make_body()
    c = await make_consultation(body)
    section = (await c.sections.all().order_by("position"))[0]
    me, them = await principal_of(person), await principal_of(other)
    others_comment = await post_comment(
        them, "section", section.id, "The second paragraph is unclear.", settings=settings
    )
    comment = await post_comment(
        me, "section", section.id, "I support this article fully.", settings=settings,
        stance="for",
    )  # fmt: skip
    await edit_comment(
        me, comment.id, "I support this article, fully and gladly.", settings=settings
    )
    reply = await post_comment(
        me, "section", section.id, "Which paragraph do you mean?", settings=settings,
        parent_id=others_comment.id,
    )  # fmt: skip
    await post_comment(
        them, "section", section.id, "The one on deadlines.", settings=settings,
        parent_id=comment.id,
    )  # fmt: skip
    await cast_vote(me, "comment", others_comment.id, 1)
    await cast_vote(them, "comment", comment.id, -1)
    await flag(me, "comment", others_comment.id, "spam", "It repeats an advert.")
    await flag(them, "comment", reply.id, "other", "Off topic here.")
    await submit_answers(me, c, {"q1": "yes"})
    await submit_answers(them, c, {"q1": "no"})
    await follow(me, c)
    await follow(them, c)
    own = await make_petition(body, creator=person, title="Plant trees on every street")
    others = await make_petition(body, creator=other, title="Open the library on Fridays")
    await _signature(own, NAME, EMAIL, person.id, "10.1.1.1")
    await _signature(others, NAME, EMAIL, None, "10.1.1.2")  # signed while signed out
    await _signature(others, "Oskar Othername", "oskar.other@example.org", other.id, "10.2.2.2")
    now = datetime.now(UTC)
    response = await Response.create(
        target_type="consultation", target_id=c.id, body_id=body.id, published_at=now,
        i18n={"en": {"summary": "We did it."}},
    )  # fmt: skip
    commitment = await Commitment.create(
        response=response, body_id=body.id, i18n={"en": {"title": "Cleaner air"}},
        created_at=now, updated_at=now,
    )  # fmt: skip
    await CommitmentFollow.create(commitment=commitment, user=person)
    await Appeal.create(
        target_type="comment", target_id=reply.id, author=person, text="It was on topic.",
        created_at=now,
    )  # fmt: skip
    await Membership.create(user=person, body=body, role=Role.EDITOR)
    await CommitmentFollow.create(commitment=commitment, user=other)
    await start_session(person)
    await start_session(other)
    return World(person, other, body, c, own, others, comment, reply, others_comment)


@pytest.fixture
async def world(db: Any, settings: Settings) -> World:
    return await seed(settings)


def _text(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, default=str)


async def test_the_export_holds_one_of_everything_of_the_person_and_nothing_of_another(
    world: World, settings: Settings
) -> None:
    export = await personal_data.request_export(world.person)
    ready = await DataExport.get(id=export.id)  # built by the job after the commit
    assert ready.status == ExportStatus.READY and ready.expires_at is not None
    name, content = await personal_data.export_file(
        world.person, export.id, storage=storage_for(settings)
    )
    assert name.endswith(".json")
    data = json.loads(content)
    assert data["format"] == personal_data.FORMAT
    assert data["accounts"]["profile"]["email"] == EMAIL
    assert data["accounts"]["profile"]["display_name"] == NAME
    assert len(data["accounts"]["sessions"]) == 1
    texts = {c["text"] for c in data["comments"]["comments"]}
    assert texts == {"I support this article, fully and gladly.", "Which paragraph do you mean?"}
    (edited,) = [c for c in data["comments"]["comments"] if c["earlier_versions"]]
    assert edited["earlier_versions"][0]["text"] == "I support this article fully."
    assert data["votes"]["votes"] == [
        {**data["votes"]["votes"][0], "target_id": world.others_comment.id, "value": 1}
    ]
    assert [f["note"] for f in data["moderation"]["reports_made"]] == ["It repeats an advert."]
    assert data["consultations"]["questionnaire_answers"][0]["answers"] == {"q1": "yes"}
    assert [f["consultation"] for f in data["consultations"]["follows"]] == [
        world.consultation.slug
    ]
    assert [p["title"] for p in data["petitions"]["petitions_started"]] == [
        "Plant trees on every street"
    ]
    assert sorted(s["petition_id"] for s in data["petitions"]["signatures"]) == sorted(
        [world.own_petition.id, world.others_petition.id]
    )
    assert {m["mail"] for m in data["mail"]["mails"]} == {"comment-reply"}
    assert "account.export" in {a["action"] for a in data["audit"]["actions"]}
    assert len(data["accountability"]["commitments_followed"]) == 1
    assert [a["text"] for a in data["moderation"]["appeals"]] == ["It was on topic."]
    assert data["organisations"]["roles"] == [
        {
            "body": world.body.slug,
            "role": "editor",
            "since": data["organisations"]["roles"][0]["since"],
        }
    ]
    text = _text(data)
    for foreign in (
        "oskar.other@example.org", "Oskar Othername", "The second paragraph is unclear.",
        "The one on deadlines.", "Off topic here.", "10.2.2.2",
        '"no"',
    ):  # fmt: skip
        assert foreign not in text, foreign


async def test_only_the_owner_downloads_an_export_and_only_while_it_is_valid(
    world: World, settings: Settings
) -> None:
    export = await personal_data.request_export(world.person)
    storage = storage_for(settings)
    with pytest.raises(NotFound):
        await personal_data.export_file(world.other, export.id, storage=storage)
    later = datetime.now(UTC) + personal_data.EXPORT_VALID + timedelta(minutes=1)
    with pytest.raises(NotFound):
        await personal_data.export_file(world.person, export.id, storage=storage, now=later)
    assert await personal_data.delete_expired_exports(storage=storage, now=later) == 1
    assert not await DataExport.exists(id=export.id)


async def test_asking_twice_while_one_is_being_prepared_gives_the_same_request(
    world: World,
) -> None:
    from participation import jobs

    runner = jobs.current_runner()
    jobs.configure(None)  # no runner: the job stays in the outbox, the export queued
    try:
        first = await personal_data.request_export(world.person)
        second = await personal_data.request_export(world.person)
    finally:
        jobs.configure(runner, getattr(runner, "ctx", None))
    assert first.id == second.id and first.status == ExportStatus.QUEUED
    # still waiting an hour later (its job keeps failing): marked failed, and asked again
    later = datetime.now(UTC) + personal_data.STUCK_AFTER + timedelta(minutes=1)
    third = await personal_data.request_export(world.person, now=later)
    assert third.id != first.id
    assert (await DataExport.get(id=first.id)).status == ExportStatus.FAILED
    assert (await DataExport.get(id=third.id)).status == ExportStatus.READY


async def _figures(w: World) -> dict[str, Any]:
    petitions = await Petition.filter(id__in=[w.own_petition.id, w.others_petition.id])
    return {
        "report": await outcome_figures(w.consultation),
        "comments": await Comment.filter(deleted_at__isnull=True).count(),
        "comment_votes": await Comment.all().order_by("id").values_list("up_count", "down_count"),
        "votes": await Vote.all().count(),
        "tallies": await VoteTally.all().order_by("id").values_list("up", "down"),
        "flags": await Flag.all().count(),
        "flag_counts": await ModerationState.all().order_by("id").values_list("flag_count"),
        "answers": await AnswerSet.all().count(),
        "signatures": await Signature.filter(status=SignatureStatus.CONFIRMED).count(),
        "signature_counts": sorted((p.id, p.signature_count) for p in petitions),
        "regions": await Signature.all().order_by("id").values_list("region"),
        "petitions": await Petition.all().count(),
    }


async def _where_found(*needles: str) -> list[str]:
    """Every table.column whose text (JSON as text, escaped or not) contains a needle."""
    found = []
    for model in Tortoise.apps["models"].values():  # type: ignore[index]
        for name, field in model._meta.fields_map.items():
            if not isinstance(field, fields.CharField | fields.TextField | fields.JSONField):
                continue
            for value in await model.all().values_list(name, flat=True):
                if value is None:
                    continue
                text = value if isinstance(value, str) else _text(value) + json.dumps(value)
                for needle in needles:
                    if needle.lower() in text.lower():
                        found.append(f"{model._meta.db_table}.{name}")
    return found


async def test_erasing_leaves_no_name_or_address_anywhere_and_every_count_as_it_was(
    world: World, settings: Settings
) -> None:
    await personal_data.request_export(world.person)
    export = await DataExport.get(user_id=world.person.id)
    storage = storage_for(settings)
    # an official's file with names, built before the erasure, names the person
    part = storage.save("export-1-0.csv", f"id,author\n{world.comment.id},{NAME}\n".encode())
    await ReportExport.create(
        target_type="consultation", target_id=world.consultation.id, kind="comments", fmt="csv",
        status=ReportStatus.DONE, parts=[part], requested_by_id=world.other.id,
    )  # fmt: skip
    found = set(await _where_found(EMAIL, NAME))  # the scan finds them before
    assert {"users.email", "users.display_name", "petition_signatures.name",
            "petition_signatures.email", "outbox_jobs.kwargs"} <= found  # fmt: skip
    before = await _figures(world)

    with pytest.raises(Invalid):
        await personal_data.erase_account(
            world.person, password="not my password", keep_comments=True, storage=storage
        )
    await personal_data.erase_account(
        world.person, password=PASSWORD, keep_comments=True, storage=storage
    )

    assert await _where_found(EMAIL, NAME, "10.1.1.1", "10.1.1.2") == []
    assert await _figures(world) == before
    erased = await User.get(id=world.person.id)
    assert erased.erased_at is not None and not erased.is_active
    assert not await Session.exists(user_id=world.person.id)
    assert not await DataExport.exists(user_id=world.person.id)
    assert not (storage_for(settings).root / export.storage_key).exists()  # type: ignore[attr-defined]
    assert not await Follow.exists(user_id=world.person.id)
    assert not await CommitmentFollow.exists(user_id=world.person.id)
    assert not await Membership.exists(user_id=world.person.id)
    assert await CommitmentFollow.exists(user_id=world.other.id)
    assert not (storage.root / part).exists()  # type: ignore[attr-defined]
    assert not await ReportExport.exists()
    # the other person's things are untouched
    assert await Signature.filter(email="oskar.other@example.org").count() == 1
    assert (await User.get(id=world.other.id)).display_name == "Oskar Othername"
    # audited by the account's id only
    event = await AuditEvent.get(action="account.erase")
    assert (event.actor_id, event.target_id, event.data) == (
        world.person.id, str(world.person.id), {"comments": "kept"}
    )  # fmt: skip
    assert await verify_chain() == (True, None)
    with pytest.raises(NotFound):  # twice is not an error page of another kind
        await personal_data.erase_account(
            erased, password=PASSWORD, keep_comments=True, storage=storage
        )


async def test_removing_the_comments_keeps_the_replies_of_others(
    world: World, settings: Settings
) -> None:
    await personal_data.erase_account(
        world.person, password=PASSWORD, keep_comments=False, storage=storage_for(settings)
    )
    mine = await Comment.filter(id__in=[world.comment.id, world.reply.id])
    assert all(c.deleted_at is not None and c.body_raw == "" and c.author_id is None for c in mine)
    replies = await Comment.filter(parent_id=world.comment.id)
    assert [r.body_raw for r in replies] == ["The one on deadlines."]
    assert await Comment.get(id=world.others_comment.id)
    assert await _where_found("I support this article", "Which paragraph do you mean?") == []


async def test_kept_comments_are_shown_as_by_a_former_participant(
    world: World, settings: Settings, client: httpx.AsyncClient
) -> None:
    await personal_data.erase_account(
        world.person, password=PASSWORD, keep_comments=True, storage=storage_for(settings)
    )
    section = (await world.consultation.sections.all().order_by("position"))[0]
    r = await client.get(f"/consultations/{world.consultation.slug}/sections/{section.position}")
    assert r.status_code == 200
    assert "I support this article, fully and gladly." in r.text
    assert "A former participant" in r.text and NAME not in r.text


async def test_erasing_over_the_web_asks_the_password_and_signs_out(
    client: httpx.AsyncClient, db: Any
) -> None:
    user = await make_user(EMAIL, name=NAME)
    await login(client, EMAIL)
    page = "/account/erase"
    r = await client.get(page)
    assert r.status_code == 200 and 'name="password"' in r.text
    r = await post_form(client, page, {"password": "wrong password", "comments": "keep",
                                       "confirm": "1"}, page)  # fmt: skip
    assert r.status_code == 400 and 'id="password-error"' in r.text
    r = await post_form(client, page, {"password": PASSWORD, "comments": "keep"}, page)
    assert r.status_code == 400 and 'id="confirm-error"' in r.text
    assert (await User.get(id=user.id)).erased_at is None
    r = await post_form(
        client, page, {"password": PASSWORD, "comments": "remove", "confirm": "1"}, page
    )
    assert r.status_code == 303
    assert (await User.get(id=user.id)).erased_at is not None
    r = await client.get("/account/profile")
    assert r.status_code == 303 and "/account/login" in r.headers["location"]
    r = await post_form(client, "/account/login", {"email": EMAIL, "password": PASSWORD})
    assert r.status_code == 400


async def test_the_data_page_offers_the_download_to_its_owner_only(
    anonymous_and_member: tuple[httpx.AsyncClient, httpx.AsyncClient], db: Any
) -> None:
    stranger, member = anonymous_and_member
    await make_user(EMAIL, name=NAME)
    await make_user("oskar.other@example.org", name="Oskar Othername")
    await login(member, EMAIL)
    r = await post_form(member, "/account/data/export", {}, "/account/data")
    assert r.status_code == 303
    r = await member.get("/account/data")
    assert "/account/data/export/1" in r.text
    r = await member.get("/account/data/export/1")
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/json")
    assert "attachment" in r.headers["content-disposition"]
    assert r.json()["accounts"]["profile"]["email"] == EMAIL
    r = await stranger.get("/account/data/export/1")
    assert r.status_code == 303 and "/account/login" in r.headers["location"]
    await login(stranger, "oskar.other@example.org")
    assert (await stranger.get("/account/data/export/1")).status_code == 404


# ---- retention ---------------------------------------------------------------------------------


async def test_signers_of_a_petition_closed_longer_than_the_retention_are_anonymised(
    db: Any, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    body = await make_body()
    closed_at = datetime(2026, 1, 10, tzinfo=UTC)
    old = await make_petition(body, status=Status.CLOSED)
    recent = await make_petition(body, status=Status.CLOSED)
    failing = await make_petition(body, status=Status.CLOSED)
    await Petition.filter(id__in=[old.id, failing.id]).update(
        closed_at=closed_at, signature_count=2
    )
    await Petition.filter(id=recent.id).update(closed_at=closed_at + timedelta(days=150))
    for p in (old, recent, failing):
        await _signature(p, "Sima Signer", f"sima{p.id}@example.org", None, "10.9.9.9")
        await _signature(p, "Reza Signer", f"reza{p.id}@example.org", None, "10.9.9.8")
    settings = settings.with_(signer_retention_days=183)

    real = petition_privacy._anonymise

    async def broken_for_one(where: str, params: list[Any]) -> int:
        if params == [failing.id]:
            raise RuntimeError("a bad row")
        return await real(where, params)

    monkeypatch.setattr(petition_privacy, "_anonymise", broken_for_one)
    # the day before the period ends: nothing; the day after: the old one, the others kept
    assert await personal_data.apply_retention(
        settings=settings, now=closed_at + timedelta(days=182)
    ) == 0  # fmt: skip
    now = closed_at + timedelta(days=184)
    assert await personal_data.apply_retention(settings=settings, now=now) == 2
    old_rows = await Signature.filter(petition_id=old.id)
    assert all((s.name, s.email, s.ip, s.user_id) == ("", "", "", None) for s in old_rows)
    assert {s.region for s in old_rows} == {"tehran"} and len(old_rows) == 2
    assert (await Petition.get(id=old.id)).signature_count == 2
    assert await Signature.filter(petition_id=recent.id, email__not="").count() == 2
    assert await Signature.filter(petition_id=failing.id, email__not="").count() == 2
    monkeypatch.setattr(petition_privacy, "_anonymise", real)
    assert await personal_data.apply_retention(settings=settings, now=now) == 2  # the failed one
    assert await personal_data.apply_retention(settings=settings, now=now) == 0  # idempotent


async def test_finished_jobs_older_than_the_retention_period_are_deleted(
    db: Any, settings: Settings
) -> None:
    now = datetime(2027, 6, 1, tzinfo=UTC)
    args = {"keys": [[1, "sima@example.org"]]}  # as a signature confirmation job's
    old = await OutboxJob.create(name="send_signature_confirmations", kwargs=args,
                                 done_at=now - timedelta(days=200))  # fmt: skip
    recent = await OutboxJob.create(name="send_signature_confirmations", kwargs=args,
                                    done_at=now - timedelta(days=100))  # fmt: skip
    waiting = await OutboxJob.create(name="send_signature_confirmations", kwargs=args)
    settings = settings.with_(signer_retention_days=183)
    assert await personal_data.apply_retention(settings=settings, now=now) == 1
    assert not await OutboxJob.exists(id=old.id)
    assert await OutboxJob.exists(id=recent.id) and await OutboxJob.exists(id=waiting.id)


def test_the_retention_period_is_a_setting_of_six_months_by_default() -> None:
    assert Settings.from_env({"SECRET_KEY": "x" * 40}).signer_retention_days == 183
    env = {"SECRET_KEY": "x" * 40, "SIGNER_RETENTION_DAYS": "30"}
    assert Settings.from_env(env).signer_retention_days == 30


async def test_an_erased_account_cannot_be_reinstated_or_made_administrator(
    db: Any, settings: Settings
) -> None:
    from participation.accounts.services import set_active, set_admin

    user = await make_user(EMAIL, name=NAME)
    await personal_data.erase_account(
        user, password=PASSWORD, keep_comments=True, storage=storage_for(settings)
    )
    erased = await User.get(id=user.id)
    await set_active(None, erased, True)
    await set_admin(None, erased, True)
    again = await User.get(id=user.id)
    assert (again.is_active, again.is_admin, again.email) == (
        False, False, f"erased-{user.id}@erased.invalid"
    )  # fmt: skip
