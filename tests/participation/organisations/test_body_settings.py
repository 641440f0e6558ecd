"""A body's settings, typed: every reader gets a usable value, whatever was stored."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from participation.db import INT_MAX
from participation.organisations.body_settings import DAYS, DEFAULTS, BodySettings, settings_of
from tests.factories import make_body


def test_a_body_without_settings_has_the_defaults() -> None:
    assert settings_of({}) == DEFAULTS == BodySettings()
    assert settings_of(None) == DEFAULTS
    assert DEFAULTS.petition_response_threshold == 10_000
    assert DEFAULTS.petition_open_days == 182 and DEFAULTS.petition_officials_moderate is False


def test_a_bad_stored_value_falls_back_to_its_default_and_the_others_are_kept() -> None:
    stored = {
        "petition_open_days": "soon",
        "petition_response_days": 7,
        "petition_response_threshold": float("nan"),
        "petition_debate_threshold": 10**30,
        "petition_officials_moderate": "true",
        "an_old_key": {"nested": [1, 2]},
    }
    s = settings_of(stored)
    assert s.petition_open_days == DEFAULTS.petition_open_days
    assert s.petition_response_days == 7
    assert s.petition_response_threshold == DEFAULTS.petition_response_threshold
    assert s.petition_debate_threshold == DEFAULTS.petition_debate_threshold
    assert s.petition_officials_moderate is True
    assert settings_of({"petition_response_days": -3}).petition_response_days == 90
    assert settings_of({"petition_officials_moderate": "maybe"}) == DEFAULTS


async def test_readers_get_the_typed_settings_of_a_body(db: object) -> None:
    body = await make_body(settings={"petition_response_threshold": 3, "petition_open_days": []})
    s = settings_of(body)
    assert s.petition_response_threshold == 3 and s.petition_open_days == 182
    assert BodySettings.model_validate(s.stored()) == s


JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=10),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=5), inner),
    max_leaves=10,
)


@given(st.dictionaries(st.sampled_from([*BodySettings.model_fields, "other"]), JSON))
def test_any_stored_object_gives_settings_within_their_bounds(stored: dict[str, Any]) -> None:
    s = settings_of(stored)
    for name in ("petition_open_days", "petition_response_days"):
        assert DAYS[0] <= getattr(s, name) <= DAYS[1]
    for name in ("petition_response_threshold", "petition_debate_threshold"):
        assert 1 <= getattr(s, name) <= INT_MAX
    assert isinstance(s.petition_officials_moderate, bool)
