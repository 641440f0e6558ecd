"""Who may do what, for every route of the app: one table, every route x method x role.

Each row is a request (method and path; names in braces are things of the world in
``world.py``, a star a fresh copy per person), then the answer each person must get:

    ok   done (2xx, or a redirect that is not to the sign-in page)
    in   asked to sign in (401, or a redirect to /account/login)
    400  refused as invalid input          403  refused          404  "not found"

The people: anonymous, a citizen, the author (of the comment, the petitions, the answers),
an official (publisher) of body A that owns everything, an official of body B, a moderator of
A, a moderator of B, a global moderator, an administrator, and a person suspended after
signing in (the session cookie they still hold must count for nothing).

A POST carries the person's own CSRF token and a valid form (``FORMS``), so that the
permission is what decides; when the answer is not "ok", nothing stored may change. A GET row
is also requested with HEAD (same answers) by the anonymous visitor and the first person it
lets in. A route of the app with no row here fails
``test_every_route_and_method_has_a_row``, naming it.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest

from tests.factories import make_user
from tests.security.routes import SAFE, endpoint_of
from tests.security.world import ROLES, SHORT, World, fingerprint, tiny_pdf

pytestmark = pytest.mark.asyncio(loop_scope="module")

TABLE = """
                                                                anon cit  auth offA offB modA modB gmod admin susp
GET  /                                                           ok   ok   ok   ok   ok   ok   ok   ok   ok    ok
POST /language                                                   ok   ok   ok   ok   ok   ok   ok   ok   ok    ok
GET  /healthz                                                    ok   ok   ok   ok   ok   ok   ok   ok   ok    ok
GET  /readyz                                                     ok   ok   ok   ok   ok   ok   ok   ok   ok    ok
GET  /metrics                                                    ok   ok   ok   ok   ok   ok   ok   ok   ok    ok
GET  /static/{static}                                            ok   ok   ok   ok   ok   ok   ok   ok   ok    ok
GET  /audit/                                                     ok   ok   ok   ok   ok   ok   ok   ok   ok    ok
GET  /audit/verify                                               ok   ok   ok   ok   ok   ok   ok   ok   ok    ok
GET  /bodies/                                                     ok   ok   ok   ok   ok   ok   ok   ok   ok    ok
GET  /bodies/{a}                                                 ok   ok   ok   ok   ok   ok   ok   ok   ok    ok

GET  /account/register                                           ok   ok   ok   ok   ok   ok   ok   ok   ok    ok
POST /account/register                                           ok   ok   ok   ok   ok   ok   ok   ok   ok    ok
GET  /account/register/sent                                      ok   ok   ok   ok   ok   ok   ok   ok   ok    ok
GET  /account/confirm/resend                                     ok   ok   ok   ok   ok   ok   ok   ok   ok    ok
POST /account/confirm/resend                                     ok   ok   ok   ok   ok   ok   ok   ok   ok    ok
GET  /account/confirm/not-a-token                                400  400  400  400  400  400  400  400  400   400
GET  /account/login                                              ok   ok   ok   ok   ok   ok   ok   ok   ok    ok
POST /account/login                                              400  400  400  400  400  400  400  400  400   400
GET  /account/password/reset                                     ok   ok   ok   ok   ok   ok   ok   ok   ok    ok
POST /account/password/reset                                     ok   ok   ok   ok   ok   ok   ok   ok   ok    ok
GET  /account/password/reset/not-a-token                         400  400  400  400  400  400  400  400  400   400
POST /account/password/reset/not-a-token                         400  400  400  400  400  400  400  400  400   400
GET  /account/profile                                            in   ok   ok   ok   ok   ok   ok   ok   ok    in
POST /account/profile                                            in   ok   ok   ok   ok   ok   ok   ok   ok    in
GET  /account/data                                               in   ok   ok   ok   ok   ok   ok   ok   ok    in
POST /account/data/export                                        in   ok   ok   ok   ok   ok   ok   ok   ok    in
GET  /account/data/export/999999                                 in   404  404  404  404  404  404  404  404   in
GET  /account/erase                                              in   ok   ok   ok   ok   ok   ok   ok   ok    in
POST /account/erase                                              in   400  400  400  400  400  400  400  400   in

GET  /admin/                                                     in   403  403  403  403  403  403  403  ok    in
GET  /admin/bodies/new                                           in   403  403  403  403  403  403  403  ok    in
POST /admin/bodies/new                                           in   403  403  403  403  403  403  403  ok    in
GET  /admin/bodies/{a}/edit                                      in   403  403  403  403  403  403  403  ok    in
POST /admin/bodies/{a}/edit                                      in   403  403  403  403  403  403  403  ok    in
GET  /admin/bodies/{a}/members                                   in   403  403  403  403  403  403  403  ok    in
POST /admin/bodies/{a}/members                                   in   403  403  403  403  403  403  403  ok    in
POST /admin/bodies/{a}/members/{membership*}/revoke              in   403  403  403  403  403  403  403  ok    in
POST /admin/users/{bystander}/admin                              in   403  403  403  403  403  403  403  ok    in
POST /admin/users/{bystander}/active                             in   403  403  403  403  403  403  403  ok    in
GET  /admin/moderators                                           in   403  403  403  403  403  403  403  ok    in
POST /admin/moderators                                           in   403  403  403  403  403  403  403  ok    in
POST /admin/moderators/{global_membership*}/revoke               in   403  403  403  403  403  403  403  ok    in

GET  /moderation/                                                in   403  403  403  403  ok   ok   ok   ok    in
POST /moderation/approve                                         in   403  403  403  403  ok   403  ok   ok    in
POST /moderation/hide                                            in   403  403  403  403  ok   403  ok   ok    in
POST /moderation/hide [a target of no known type]                in   403  403  403  403  404  404  404  404   in
POST /moderation/restore                                         in   403  403  403  403  ok   403  ok   ok    in
POST /moderation/hide-campaign                                   in   403  403  403  403  ok   403  ok   ok    in
POST /moderation/flag                                            in   ok   403  ok   ok   ok   ok   ok   ok    in
GET  /moderation/appeal/comment/{hidden*}                        in   ok   404  404  404  404  404  404  404   in
POST /moderation/appeal/comment/{hidden*}                        in   ok   404  404  404  404  404  404  404   in
POST /moderation/appeals/{appeal*}/decide                        in   403  403  403  403  ok   403  ok   ok    in
GET  /moderation/suspensions                                     in   403  403  403  403  403  403  ok   ok    in
GET  /moderation/people/{bystander}/suspend                      in   403  403  403  403  403  403  ok   ok    in
POST /moderation/people/{new_user*}/suspend                      in   403  403  403  403  403  403  ok   ok    in
POST /moderation/people/{suspended_person*}/lift                 in   403  403  403  403  403  403  ok   ok    in
GET  /moderation/record                                          ok   ok   ok   ok   ok   ok   ok   ok   ok    ok
GET  /moderation/record/consultation/{open.pk}                   ok   ok   ok   ok   ok   ok   ok   ok   ok    ok

GET  /integrity/disown/link/signature/{disown_token}              ok   ok   ok   ok   ok   ok   ok   ok   ok    ok
POST /integrity/disown/link/signature/{disown_token*}             ok   ok   ok   ok   ok   ok   ok   ok   ok    ok
GET  /integrity/disown/link/signature/not-a-token                404  404  404  404  404  404  404  404  404   404
GET  /integrity/mine                                             in   ok   ok   ok   ok   ok   ok   ok   ok    in
GET  /integrity/disown/comment/{comment}                         in   404  ok   404  404  404  404  404  404   in
POST /integrity/disown/comment/{comment*}                        in   404  ok   404  404  404  404  404  404   in

POST /comments/post                                              in   ok   ok   ok   ok   ok   ok   ok   ok    in
POST /comments/reply                                             in   ok   ok   ok   ok   ok   ok   ok   ok    in
GET  /comments/{comment}                                         ok   ok   ok   ok   ok   ok   ok   ok   ok    ok
GET  /comments/{comment}/history                                 ok   ok   ok   ok   ok   ok   ok   ok   ok    ok
GET  /comments/{comment}/reply                                   in   ok   ok   ok   ok   ok   ok   ok   ok    in
GET  /comments/{comment}/report                                  in   ok   403  ok   ok   ok   ok   ok   ok    in
GET  /comments/{comment}/edit                                    in   403  ok   403  403  403  403  403  403   in
POST /comments/vote                                              in   ok   403  ok   ok   ok   ok   ok   ok    in
POST /comments/{comment}/edit                                    in   403  ok   403  403  403  403  403  403   in
POST /comments/{comment*}/delete                                 in   403  ok   403  403  ok   403  ok   ok    in
POST /comments/{comment*}/flag                                   in   ok   403  ok   ok   ok   ok   ok   ok    in
POST /votes/cast                                                 in   ok   ok   ok   ok   ok   ok   ok   ok    in

GET  /consultations/                                             ok   ok   ok   ok   ok   ok   ok   ok   ok    ok
GET  /consultations/new                                          in   403  403  ok   ok   403  403  403  403   in
POST /consultations/new                                          in   403  403  ok   400  403  403  403  403   in
GET  /consultations/{draft}                                      404  404  404  ok   404  404  404  404  404   404
GET  /consultations/{open}                                       ok   ok   ok   ok   ok   ok   ok   ok   ok    ok
GET  /consultations/{draft}/edit                                 in   404  404  ok   404  404  404  404  404   in
GET  /consultations/{open}/edit                                  in   403  403  ok   403  403  403  403  403   in
POST /consultations/{draft}/edit                                 in   404  404  ok   404  404  404  404  404   in
POST /consultations/{open}/edit                                  in   403  403  403  403  403  403  403  403   in
POST /consultations/{open}/answers                               in   ok   ok   ok   ok   ok   ok   ok   ok    in
POST /consultations/{open}/follow                                in   ok   ok   ok   ok   ok   ok   ok   ok    in
POST /consultations/{draft*}/publish                             in   404  404  ok   404  404  404  404  404   in
POST /consultations/{open*}/dates                                in   403  403  ok   403  403  403  403  403   in
GET  /consultations/{open}/paper                                 in   403  403  ok   403  403  403  403  403   in
POST /consultations/{open}/paper                                 in   403  403  ok   403  403  403  403  403   in
GET  /consultations/{closed}/outcome/report                      in   403  403  ok   403  403  403  403  403   in
POST /consultations/{closed*}/outcome/response                   in   403  403  ok   403  403  403  403  403   in
GET  /consultations/{closed}/report                              ok   ok   ok   ok   ok   ok   ok   ok   ok    ok
POST /consultations/{closed*}/report                             in   403  403  ok   403  403  403  403  403   in
GET  /consultations/{closed}/report.pdf                          404  404  404  404  404  404  404  404  404   404
GET  /consultations/{closed}/report/exports                      in   403  403  ok   403  403  403  403  403   in
POST /consultations/{closed*}/report/exports                     in   403  403  ok   403  403  403  403  403   in
GET  /consultations/{closed}/report/exports/comments.csv         in   403  403  ok   403  403  403  403  403   in
GET  /consultations/{closed}/report/exports/answers.json         in   403  403  ok   403  403  403  403  403   in
GET  /consultations/{closed}/report/exports/1                    in   403  403  404  403  403  403  403  403   in
GET  /consultations/{closed}/report/comments.csv                 ok   ok   ok   ok   ok   ok   ok   ok   ok    ok
GET  /consultations/{closed}/report/comments.json                ok   ok   ok   ok   ok   ok   ok   ok   ok    ok
POST /consultations/{draft}/sections                             in   404  404  ok   404  404  404  404  404   in
GET  /consultations/{open}/sections/1                            ok   ok   ok   ok   ok   ok   ok   ok   ok    ok
GET  /consultations/{draft}/sections/1                           404  404  404  ok   404  404  404  404  404   404
GET  /consultations/{draft}/sections/1/edit                      in   404  404  ok   404  404  404  404  404   in
GET  /consultations/{open}/sections/1/edit                       in   403  403  ok   403  403  403  403  403   in
POST /consultations/{draft}/sections/1/edit                      in   404  404  ok   404  404  404  404  404   in
POST /consultations/{draft*}/sections/1/delete                   in   404  404  ok   404  404  404  404  404   in
GET  /consultations/{open}/sections/1/versions/1                 ok   ok   ok   ok   ok   ok   ok   ok   ok    ok
POST /consultations/{draft}/questions                            in   404  404  ok   404  404  404  404  404   in
POST /consultations/{draft*}/questions/{draft*.qid}/delete       in   404  404  ok   404  404  404  404  404   in
POST /consultations/{draft}/attachments                          in   404  404  ok   404  404  404  404  404   in
GET  /consultations/{open}/attachments/{open.aid}                ok   ok   ok   ok   ok   ok   ok   ok   ok    ok
GET  /consultations/{draft}/attachments/{draft.aid}              404  404  404  ok   404  404  404  404  404   404
POST /consultations/{draft*}/attachments/{draft*.aid}/delete     in   404  404  ok   404  404  404  404  404   in

GET  /petitions/                                                 ok   ok   ok   ok   ok   ok   ok   ok   ok    ok
GET  /petitions/new                                              in   ok   ok   ok   ok   ok   ok   ok   ok    in
POST /petitions/new                                              in   ok   ok   ok   ok   ok   ok   ok   ok    in
GET  /petitions/moderation                                       in   403  403  403  403  ok   ok   ok   ok    in
GET  /petitions/moderation/blocked                               in   403  403  403  403  403  403  ok   ok    in
POST /petitions/moderation/blocked                               in   403  403  403  403  403  403  ok   ok    in
POST /petitions/moderation/blocked/domain/{block*}/remove        in   403  403  403  403  403  403  ok   ok    in
GET  /petitions/confirm/not-a-token                              400  400  400  400  400  400  400  400  400   400
GET  /petitions/{petition}                                       ok   ok   ok   ok   ok   ok   ok   ok   ok    ok
GET  /petitions/{pending}                                        404  404  ok   404  404  ok   404  ok   ok    404
POST /petitions/{petition}/sign                                  ok   ok   ok   ok   ok   ok   ok   ok   ok    ok
GET  /petitions/{petition}/count.json                            ok   ok   ok   ok   ok   ok   ok   ok   ok    ok
GET  /petitions/{sponsoring}/sponsor/{sponsoring.token}          ok   ok   ok   ok   ok   ok   ok   ok   ok    ok
POST /petitions/{sponsoring}/sponsor/{sponsoring.token}          ok   ok   ok   ok   ok   ok   ok   ok   ok    ok
POST /petitions/{pending*}/moderate                              in   404  403  404  404  ok   404  ok   ok    in
GET  /petitions/{petition}/signatures                            in   403  403  403  403  ok   403  ok   ok    in
POST /petitions/{petition}/invalidate                            in   403  403  403  403  ok   403  ok   ok    in
POST /petitions/{petition}/invalidations/{invalidation*}/undo    in   403  403  403  403  ok   403  ok   ok    in
POST /petitions/{petition}/suspects                              in   403  403  403  403  ok   403  ok   ok    in
POST /petitions/{petition}/waves/0                               in   403  403  403  403  ok   403  ok   ok    in
POST /petitions/{debated}/debate                                 in   403  403  ok   403  403  403  403  403   in

GET  /accountability/                                            ok   ok   ok   ok   ok   ok   ok   ok   ok    ok
GET  /accountability/overdue                                     ok   ok   ok   ok   ok   ok   ok   ok   ok    ok
GET  /accountability/scoreboard                                  ok   ok   ok   ok   ok   ok   ok   ok   ok    ok
GET  /accountability/scoreboard/{a}                              ok   ok   ok   ok   ok   ok   ok   ok   ok    ok
GET  /accountability/scoreboard/no-such-body                     404  404  404  404  404  404  404  404  404   404
GET  /accountability/respond/consultation/{closed.pk}            in   403  403  ok   403  403  403  403  403   in
GET  /accountability/respond/consultation/{open.pk}              in   403  403  403  403  403  403  403  403   in
GET  /accountability/respond/no-such-thing/1                     in   404  404  404  404  404  404  404  404   in
POST /accountability/respond/consultation/{closed*.pk}           in   403  403  ok   403  403  403  403  403   in
GET  /accountability/responses/{responded}                       ok   ok   ok   ok   ok   ok   ok   ok   ok    ok
GET  /accountability/responses/999999999999                      404  404  404  404  404  404  404  404  404   404
GET  /accountability/responses/{responded}/translate             in   403  403  ok   403  403  403  403  403   in
POST /accountability/responses/{responded}/translate             in   403  403  ok   403  403  403  403  403   in
POST /accountability/responses/{responded}/debate                in   403  403  ok   403  403  403  403  403   in
GET  /accountability/responses/{responded}/commitments/new       in   403  403  ok   403  403  403  403  403   in
POST /accountability/responses/{responded}/commitments/new       in   403  403  ok   403  403  403  403  403   in
GET  /accountability/commitments/{responded.commitment}          ok   ok   ok   ok   ok   ok   ok   ok   ok    ok
POST /accountability/commitments/{responded.commitment}/update   in   403  403  ok   403  403  403  403  403   in
POST /accountability/commitments/{responded.commitment}/translate  in   403  403  ok   403  403  403  403  403   in
POST /accountability/commitments/{responded.commitment}/milestones  in   403  403  ok   403  403  403  403  403   in
POST /accountability/commitments/{responded*.commitment}/milestones/{responded*.milestone}/done  in   403  403  ok   403  403  403  403  403   in
POST /accountability/commitments/{responded.commitment}/follow   in   ok   ok   ok   ok   ok   ok   ok   ok    in
POST /accountability/commitments/{responded.commitment}/unfollow  in   ok   ok   ok   ok   ok   ok   ok   ok    in
GET  /api/v1/obligations                                         ok   ok   ok   ok   ok   ok   ok   ok   ok    ok
GET  /api/v1/responses                                           ok   ok   ok   ok   ok   ok   ok   ok   ok    ok
GET  /api/v1/responses/{responded}                               ok   ok   ok   ok   ok   ok   ok   ok   ok    ok
GET  /api/v1/commitments                                         ok   ok   ok   ok   ok   ok   ok   ok   ok    ok
GET  /api/v1/commitments/{responded.commitment}                  ok   ok   ok   ok   ok   ok   ok   ok   ok    ok

GET  /api/v1/openapi.json                                        ok   ok   ok   ok   ok   ok   ok   ok   ok    ok
GET  /api/v1/audit                                               ok   ok   ok   ok   ok   ok   ok   ok   ok    ok
GET  /api/v1/audit/checkpoints                                   ok   ok   ok   ok   ok   ok   ok   ok   ok    ok
GET  /api/v1/scoreboard                                          ok   ok   ok   ok   ok   ok   ok   ok   ok    ok
GET  /api/v1/scoreboard/{a}                                      404  404  404  404  404  404  404  404  404   404
GET  /api/v1/consultations                                       ok   ok   ok   ok   ok   ok   ok   ok   ok    ok
GET  /api/v1/consultations/{open}                                ok   ok   ok   ok   ok   ok   ok   ok   ok    ok
GET  /api/v1/consultations/{draft}                               404  404  404  404  404  404  404  404  404   404
GET  /api/v1/consultations/{open}/sections/1/comments            ok   ok   ok   ok   ok   ok   ok   ok   ok    ok
GET  /api/v1/consultations/{closed}/results                      ok   ok   ok   ok   ok   ok   ok   ok   ok    ok
GET  /api/v1/consultations/{closed}/report                       404  404  404  404  404  404  404  404  404   404
GET  /api/v1/petitions                                           ok   ok   ok   ok   ok   ok   ok   ok   ok    ok
GET  /api/v1/petitions/{petition}                                ok   ok   ok   ok   ok   ok   ok   ok   ok    ok
GET  /api/v1/petitions/{pending}                                 404  404  404  404  404  404  404  404  404   404
GET  /api/v1/petitions/signatures.csv                            ok   ok   ok   ok   ok   ok   ok   ok   ok    ok
GET  /api/v1/petitions/signatures.json                           ok   ok   ok   ok   ok   ok   ok   ok   ok    ok
GET  /api/v1/petitions/{petition}/signatures.csv                 ok   ok   ok   ok   ok   ok   ok   ok   ok    ok
GET  /api/v1/petitions/{petition}/signatures.json                ok   ok   ok   ok   ok   ok   ok   ok   ok    ok
GET  /api/v1/petitions/{pending}/signatures.csv                  404  404  404  404  404  404  404  404  404   404

POST /account/logout/everywhere                                  in   ok   ok   ok   ok   ok   ok   ok   ok    in
POST /account/logout                                             ok   ok   ok   ok   ok   ok   ok   ok   ok    ok
"""
# (the last two rows sign everyone out: they stay last)

_SETTINGS = {
    "petition_open_days": "182", "petition_response_days": "90",
    "petition_response_threshold": "10000", "petition_debate_threshold": "100000",
}  # fmt: skip
_SIGN = {"name": "Sam Signer", "email": "{new*.email}", "region": "tehran", "eligible": "1"}

# A valid form for each POST row: what the permitted person would send.
FORMS: dict[str, dict[str, str]] = {
    "POST /language": {"lang": "en", "next": "/"},
    "POST /account/register": {
        "email": "{new*.email}",
        "password": "correct horse battery staple",
        "display_name": "New Person",
        "locale": "en",
    },  # fmt: skip
    "POST /account/confirm/resend": {"email": "{new*.email}"},
    "POST /account/login": {"email": "{new*.email}", "password": "not the password"},
    "POST /account/password/reset": {"email": "{new*.email}"},
    "POST /account/password/reset/not-a-token": {
        "password": "correct horse battery staple",
        "password_again": "correct horse battery staple",
    },  # fmt: skip
    "POST /account/profile": {"display_name": "Same Person", "locale": "en", "region": ""},
    "POST /account/erase": {"password": "not the password", "comments": "keep", "confirm": "1"},
    "POST /admin/bodies/new": {
        "slug": "{new*}",
        "original_locale": "en",
        "name_en": "New body",
        **_SETTINGS,
    },  # fmt: skip
    "POST /admin/bodies/{a}/edit": {"original_locale": "en", "name_en": "Ministry", **_SETTINGS},
    "POST /admin/bodies/{a}/members": {"email": "{new_user*.email}", "role": "editor"},
    "POST /admin/users/{bystander}/admin": {"grant": "1"},
    "POST /admin/users/{bystander}/active": {"active": "1"},
    "POST /admin/moderators": {"email": "{new_user*.email}"},
    "POST /moderation/hide": {
        "target_type": "comment",
        "target_id": "{comment*}",
        "reason": "spam",
        "note": "advert",
    },  # fmt: skip
    "POST /moderation/hide [a target of no known type]": {
        "target_type": "no-such-thing",
        "target_id": "1",
        "reason": "spam",
    },  # fmt: skip
    "POST /moderation/restore": {"target_type": "comment", "target_id": "{hidden*}"},
    "POST /moderation/approve": {"target_type": "comment", "target_id": "{flagged*}"},
    "POST /moderation/hide-campaign": {"group_id": "{campaign*}", "reason": "spam"},
    "POST /integrity/disown/link/signature/{disown_token*}": {"sure": "1"},
    "POST /integrity/disown/comment/{comment*}": {"sure": "1"},
    "POST /moderation/flag": {
        "target_type": "comment",
        "target_id": "{comment*}",
        "reason": "spam",
    },  # fmt: skip
    "POST /moderation/appeal/comment/{hidden*}": {"text": "It was a quotation of the draft."},
    "POST /moderation/appeals/{appeal*}/decide": {"decision": "restore"},
    "POST /moderation/people/{new_user*}/suspend": {"days": "7", "reason": "Repeated insults."},
    "POST /comments/post": {
        "target_type": "section",
        "target_id": "{open.section}",
        "text": "I agree with this.",
        "stance": "for",
    },  # fmt: skip
    "POST /comments/reply": {
        "target_type": "section",
        "target_id": "{open.section}",
        "text": "A reply.",
        "parent_id": "{comment}",
    },  # fmt: skip
    "POST /comments/{comment}/edit": {"text": "Edited opinion."},
    "POST /comments/vote": {"up": "{comment}", "next": "/"},
    "POST /comments/{comment*}/flag": {"reason": "spam"},  # fresh: three flags hide one
    "POST /votes/cast": {"target_type": "section", "target_id": "{open.section}", "value": "1"},
    "POST /consultations/new": {
        "body_id": "{a.pk}",
        "original_locale": "en",
        "title_en": "A new draft",
        "summary_en": "What it is about",
    },  # fmt: skip
    "POST /consultations/{draft}/edit": {
        "original_locale": "en",
        "title_en": "The draft",
        "summary_en": "What it is about",
    },  # fmt: skip
    "POST /consultations/{open}/edit": {
        "original_locale": "en",
        "title_en": "The draft",
        "summary_en": "What it is about",
    },  # fmt: skip
    "POST /consultations/{open}/answers": {"q{open.qid}": "Because it matters."},
    "POST /consultations/{draft*}/publish": {
        "opens_at": "2030-01-01T10:00",
        "closes_at": "2030-02-01T10:00",
    },  # fmt: skip
    "POST /consultations/{open*}/dates": {"action": "close", "reason": "Enough was said."},
    "POST /consultations/{open}/paper": {
        "body_id": "{a.pk}",
        "channel": "post",
        "received_at": "2024-01-02T10:00",
        "text": "A letter that arrived by post.",
    },  # fmt: skip
    "POST /consultations/{closed*}/report/exports": {"kind": "comments", "fmt": "csv"},
    "POST /accountability/respond/consultation/{closed*.pk}": {
        "locale": "en",
        "summary": "What we did.",
        "decision_consultation_{closed*.pk}": "kept",
        "decision_section_{closed*.first_section}": "changed",
        "decision_section_{closed*.second_section}": "study",
    },  # fmt: skip
    "POST /accountability/responses/{responded}/translate": {"locale": "fa", "summary": "پاسخ"},
    "POST /accountability/responses/{responded}/debate": {
        "locale": "en",
        "debate_at": "2026-01-02T10:00",
        "link": "https://example.org/debate",
        "outcome": "Adopted.",
    },  # fmt: skip
    "POST /accountability/responses/{responded}/commitments/new": {
        "locale": "en",
        "title": "Paint the lanes",
    },  # fmt: skip
    "POST /accountability/commitments/{responded.commitment}/update": {
        "locale": "en",
        "status": "in_progress",
        "progress": "50",
        "text": "Half done.",
    },  # fmt: skip
    "POST /accountability/commitments/{responded.commitment}/translate": {
        "text_locale": "fa",
        "text_title": "رنگ کردن مسیرها",
    },  # fmt: skip
    "POST /accountability/commitments/{responded.commitment}/milestones": {
        "milestone_locale": "en",
        "milestone_title": "Buy paint",
        "milestone_due_on": "2027-01-01",
    },  # fmt: skip
    "POST /accountability/commitments/{responded*.commitment}/milestones/{responded*.milestone}/done": {
        "done_on": "2026-12-01",
    },  # fmt: skip
    "POST /consultations/{closed*}/outcome/response": {
        "original_locale": "en",
        "text_en": "What we will do.",
    },  # fmt: skip
    "POST /consultations/{draft}/sections": {
        "original_locale": "en",
        "title_en": "A new article",
        "text_en": "Its text.",
    },  # fmt: skip
    "POST /consultations/{draft}/sections/1/edit": {
        "original_locale": "en",
        "title_en": "Article 1",
        "text_en": "New text.",
    },  # fmt: skip
    "POST /consultations/{draft}/questions": {
        "original_locale": "en",
        "kind": "text",
        "text_en": "Anything else?",
    },  # fmt: skip
    "POST /consultations/{draft}/attachments": {"title": "The plan"},
    "POST /petitions/new": {
        "body_id": "{a.pk}",
        "title": "Plant trees along the river",
        "action": "Plant a thousand trees along the river.",
        "language": "en",
        "region": "tehran",
        "step": "submit",
    },  # fmt: skip
    "POST /petitions/moderation/blocked": {
        "kind": "domain",
        "value": "{new*.domain}",
        "reason": "spam",
    },  # fmt: skip
    "POST /petitions/{petition}/sign": _SIGN,
    "POST /petitions/{sponsoring}/sponsor/{sponsoring.token}": _SIGN,
    "POST /petitions/{pending*}/moderate": {"decision": "publish"},
    "POST /petitions/{petition}/invalidate": {
        "reason": "Bots from one domain.",
        "domain": "{new*.domain}",
    },  # fmt: skip
    "POST /petitions/{petition}/suspects": {"id": "{petition.signature}"},
    "POST /petitions/{petition}/waves/0": {"decision": "accept", "upto": "{petition.signature}"},
    "POST /petitions/{debated}/debate": {
        "debate_at": "2030-03-01T18:00",
        "debate_link": "https://parliament.example/debate",
    },  # fmt: skip
}
FILES: dict[str, Any] = {
    "POST /consultations/{draft}/attachments": lambda: {
        "file": ("plan.pdf", tiny_pdf(), "application/pdf")
    },
}


class Row:
    """``METHOD /path [label]  answer x 10``."""

    def __init__(self, line: str) -> None:
        words = line.split()
        self.expected = dict(zip(ROLES, words[-len(ROLES) :], strict=True))
        self.key = " ".join(words[: -len(ROLES)])
        self.method, self.path = words[0], words[1]

    def __repr__(self) -> str:
        return self.key


def parse(table: str) -> list[Row]:
    lines = [line for line in table.strip("\n").splitlines() if line.strip()]
    header = lines[0].split()
    assert [SHORT[h] for h in header] == list(ROLES), header
    return [Row(line) for line in lines[1:]]


ROWS = parse(TABLE)


def outcome(r: httpx.Response) -> str:
    if r.status_code == 401:
        return "in"
    if 300 <= r.status_code < 400:
        return (
            "in" if r.headers.get("location", "").split("?")[0].endswith("/account/login") else "ok"
        )
    if r.status_code < 300:
        return "ok"
    return str(r.status_code)


async def request_as(world: World, role: str, row: Row, method: str) -> tuple[httpx.Response, str]:
    """Send ``row`` as ``role``; also tells whether stored data changed (unsafe methods)."""
    cache: dict[str, dict[str, str]] = {}
    path = await world.resolve(row.path, cache)
    client = world.clients[role]
    if method in SAFE:
        return await client.request(method, path), ""
    form = {await world.resolve(k, cache): await world.resolve(v, cache)
            for k, v in FORMS.get(row.key, {}).items()}  # fmt: skip
    files = FILES[row.key]() if row.key in FILES else None
    before = await fingerprint()
    r = await client.request(method, path, data={"csrf_token": world.tokens[role], **form},
                             files=files)  # fmt: skip
    changed = ""
    if outcome(r) != "ok" and await fingerprint() != before:
        changed = "refused, but something stored changed"
    if outcome(r) == "ok":
        await world.refresh_token(role)
    return r, changed


@pytest.mark.parametrize("row", ROWS, ids=repr)
async def test_every_role_gets_the_answer_of_the_table(world: World, row: Row) -> None:
    problems = []
    # HEAD is served as the GET without its body whoever asks (test_methods.py): asked here
    # by the anonymous visitor and by the first person the row lets in
    let_in = next((r for r in ROLES[1:] if row.expected[r] == "ok"), "citizen")
    for role in ROLES:
        methods = [row.method]
        if row.method == "GET" and role in ("anonymous", let_in):
            methods.append("HEAD")
        for method in methods:
            r, changed = await request_as(world, role, row, method)
            got = outcome(r)
            if got != row.expected[role]:
                where = r.headers.get("location", "")
                problems.append(f"{role:16} {method}: expected {row.expected[role]}, got {got} "
                                f"({r.status_code}{' -> ' + where if where else ''})")  # fmt: skip
            if changed:
                problems.append(f"{role:16} {method}: {changed}")
    assert not problems, f"{row.key}\n" + "\n".join(problems)


async def test_every_route_and_method_has_a_row(world: World) -> None:
    from tests.security.routes import app_endpoints

    problems = []
    covered: set[tuple[str, str]] = set()
    for row in ROWS:
        e = endpoint_of(await world.resolve(row.path, {}))
        if e is None:
            problems.append(f"the row {row.key!r} names no route of the app")
        else:
            covered.add((e.path, row.method))
    problems += [
        f"{m} {e.path}: missing from the table"
        for e in app_endpoints(world.app)
        for m in sorted(e.methods - {"HEAD"})
        if (e.path, m) not in covered
    ]
    assert not problems, "test_authorisation.py's table and the app's routes differ:\n" + (
        "\n".join(problems)
    )


async def test_the_change_counter_sees_a_write(world: World) -> None:
    """The counter behind "nothing stored changed" sees a row written."""
    before = await fingerprint()
    await make_user()
    assert await fingerprint() > before
