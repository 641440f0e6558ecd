from __future__ import annotations

import pytest
from starlette.applications import Starlette

from tests.participation.comments.fakehost import Hosts, install


@pytest.fixture
def hosts(app: Starlette, monkeypatch: pytest.MonkeyPatch) -> Hosts:
    return install(monkeypatch, app)
