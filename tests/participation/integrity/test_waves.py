"""Scripted waves of signatures: found; households, CGNAT, campus and office NATs are not."""

from __future__ import annotations

from participation.integrity.waves import (
    features,
    find_waves,
    flag_rows,
    generated_score,
    wave_summaries,
)
from tests.participation.integrity.planted import (
    WAVE_STYLES,
    planted_signatures,
    score_signatures,
)


def test_planted_waves_are_flagged_and_people_are_not() -> None:
    for seed, styles, size in (
        (11, WAVE_STYLES, 150),
        (22, ("one_address", "rotation", "trickle", "region"), 120),
        (33, ("generated", "domain", "ua_script", "wide_proxies"), 200),
    ):
        planted = planted_signatures(days=4, per_day=700, seed=seed, styles=styles,
                                     wave_size=size)  # fmt: skip
        score = score_signatures(planted, flag_rows(planted.rows))
        print(f"seed {seed}: {score.line()}")
        assert score.recall >= 0.95
        assert score.organic_fp <= 0.005


def test_shared_addresses_alone_are_never_flagged() -> None:
    planted = planted_signatures(days=4, per_day=900, seed=44, styles=())
    flagged = flag_rows(planted.rows)
    assert len(flagged) <= 0.005 * len(planted.rows)


def test_a_household_two_people_a_minute_apart_is_not_flagged() -> None:
    rows = [
        {"t": 0, "name": "Maria Garcia", "email": "maria.garcia@gmail.com", "region": "R1",
         "ip": "81.2.3.4", "user_agent": "Firefox"},
        {"t": 60, "name": "Jose Garcia", "email": "jgarcia@yahoo.com", "region": "R1",
         "ip": "81.2.3.4", "user_agent": "Firefox"},
    ]  # fmt: skip
    assert flag_rows(rows) == []


def test_a_local_petition_s_first_hour_is_no_surge_of_its_region_or_browsers() -> None:
    """A new petition about one city, shared there: its first signatures all come from one
    region, through a few common browsers. There is no traffic yet for them to be beyond."""
    first = ["Maria", "Reza", "Claire", "Omar", "Leila", "Thomas", "Sara", "Hamid", "Julie",
             "Karim", "Nasrin", "Pierre"]  # fmt: skip
    last = ["Garcia", "Ahmadi", "Martin", "Haddad", "Karimi", "Bernard", "Rostami", "Dubois",
            "Nasser", "Moreau", "Hosseini"]  # fmt: skip
    browsers = ["Chrome/131 Windows", "Safari/17 iPhone", "Chrome/130 Android", "Firefox/132"]
    rows, t = [], 0.0
    for i in range(120):
        t += 5 + (i * 37 % 23)  # people, a few seconds apart, irregularly
        f, la = first[i % len(first)], last[(i * 5 + i // 12) % len(last)]
        rows.append({"t": t, "name": f"{f} {la}", "email": f"{f.lower()}.{la.lower()}{i}@gmail.com",
                     "region": "fars", "ip": f"5.{(i * 37) % 200 + 20}.{i * 11 % 250}.{i % 250 + 1}",
                     "user_agent": browsers[i % 4]})  # fmt: skip
    assert flag_rows(rows) == []


def test_iso_times_and_seconds_give_the_same_flags() -> None:
    a = planted_signatures(days=2, per_day=500, seed=55, styles=("one_address",))
    b = planted_signatures(days=2, per_day=500, seed=55, styles=("one_address",), iso=True)
    assert flag_rows(a.rows) == flag_rows(b.rows)


def test_each_wave_says_why() -> None:
    planted = planted_signatures(days=2, per_day=500, seed=66, styles=("trickle", "one_address"))
    reasons = {r for w in find_waves(features(planted.rows)) for r in w.reasons}
    assert "arrivals too regular for people" in reasons


def test_generated_addresses_look_generated_and_names_explain_addresses() -> None:
    assert generated_score("x8k2j9qz@gmail.com", "Anna Smith") >= 0.45
    assert generated_score("kqzjxwpt@yahoo.com", "Tom Jones") >= 0.45
    assert generated_score("mblanc@hotmail.com", "Michael Blanc") < 0.45
    assert generated_score("maria.garcia1987@gmail.com", "Maria Garcia") < 0.45
    assert generated_score("sunnyfox12@gmail.com", "Lucy Brown") < 0.45


def test_wave_summaries_give_each_wave_once_with_its_signatures_ids_and_reasons() -> None:
    planted = planted_signatures(days=2, per_day=700, seed=11)
    rows = [{**r, "id": 1000 + i} for i, r in enumerate(planted.rows)]
    summaries = wave_summaries(rows)
    assert summaries, "the planted waves are found"
    flagged = {1000 + i for i in flag_rows(planted.rows)}
    assert {i for s in summaries for i in s.ids} == flagged
    assert [len(s.ids) for s in summaries] == sorted((len(s.ids) for s in summaries),
                                                     reverse=True)  # fmt: skip
    for s in summaries:
        assert s.reasons and s.rule and s.first_t <= s.last_t
    assert len({s.ids for s in summaries}) == len(summaries)  # each wave once
