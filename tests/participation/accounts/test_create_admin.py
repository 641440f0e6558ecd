"""`participation create-admin`: create an administrator or promote a user."""

from __future__ import annotations

import pytest

from participation.accounts import services
from participation.accounts.models import User
from participation.audit.models import AuditEvent
from participation.audit.services import verify_chain
from tests.factories import make_user


async def test_creates_a_confirmed_admin_who_can_sign_in(db: object) -> None:
    user = await services.create_admin("Root@Example.org", "long-enough-pw", "Root")
    assert user.email == "root@example.org" and user.is_admin and user.confirmed
    assert await services.authenticate("root@example.org", "long-enough-pw") is not None
    assert await AuditEvent.filter(action="account.role_grant").count() == 1


async def test_promotes_an_existing_user_once(db: object) -> None:
    citizen = await make_user("ana@example.org")
    await services.create_admin("ana@example.org", "ignored", "Ana")
    await services.create_admin("ana@example.org", "ignored", "Ana")
    assert (await User.get(id=citizen.id)).is_admin
    assert await User.all().count() == 1
    assert await AuditEvent.filter(action="account.role_grant").count() == 1
    assert await verify_chain() == (True, None)


async def test_refuses_a_bad_address_or_short_password(db: object) -> None:
    with pytest.raises(services.AccountError):
        await services.create_admin("not-an-email", "long-enough-pw", "X")
    with pytest.raises(services.AccountError):
        await services.create_admin("x@example.org", "short", "X")
    assert await User.all().count() == 0
