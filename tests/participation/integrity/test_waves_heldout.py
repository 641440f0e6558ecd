"""The wave rules on a held-out planted set written apart from ``planted.py`` (other crowds,
rhythms, names, networks and wave styles): recall and organic false positives; people alone
(a viral spike, carrier CGNAT pools, lectures and office e-mails behind one NAT, households, a
region in another time zone) are not flagged; each wave style is found."""

from __future__ import annotations

import random
from collections import Counter

import pytest

from participation.integrity.waves import (
    canonical_mailbox,
    features,
    find_waves,
    flag_rows,
    network_of,
)
from tests.participation.integrity.heldout_signatures import HELDOUT_STYLES, heldout_signatures
from tests.participation.integrity.planted import score_signatures


def test_heldout_waves_are_flagged_and_people_are_not() -> None:
    for seed in (31, 32):
        planted = heldout_signatures(days=3, per_day=2500, seed=seed)
        score = score_signatures(planted, flag_rows(planted.rows))
        print(f"held-out seed {seed}, {len(planted.rows)} rows: {score.line()}")
        assert score.recall >= 0.95
        assert score.organic_fp <= 0.005


def test_people_alone_are_not_flagged_viral_spike_cgnat_campus_office_households() -> None:
    for seed in (7, 8):
        planted = heldout_signatures(days=3, per_day=2500, seed=seed, styles=())
        kinds = Counter(planted.kind)
        assert {"cgnat", "campus", "office", "household", "home"} <= set(kinds)
        flagged = flag_rows(planted.rows)
        wrong = Counter(planted.kind[i] for i in flagged)
        print(f"seed {seed}: {len(flagged)} of {len(planted.rows)} flagged: {dict(wrong)}")
        assert len(flagged) <= 0.005 * len(planted.rows)
        for kind in ("cgnat", "campus", "office", "household"):
            assert wrong[kind] <= 0.005 * kinds[kind]


@pytest.mark.parametrize("style", HELDOUT_STYLES)
def test_each_heldout_wave_style_is_found(style: str) -> None:
    planted = heldout_signatures(days=2, per_day=2000, seed=3, styles=(style,), wave_size=120)
    score = score_signatures(planted, flag_rows(planted.rows))
    print(f"{style}: {score.line()}")
    assert score.recall >= 0.9
    assert score.organic_fp <= 0.005


def _row(t: float, name: str, email: str, ip: str, ua: str = "Firefox/122.0") -> dict[str, object]:
    return {"t": t, "name": name, "email": email, "region": "north", "ip": ip, "user_agent": ua}


_FIRST = ["Lena", "Omar", "Ivo", "Sara", "Yuki", "Noah", "Ana", "Tom", "Lea", "Ravi"]
_LAST = ["Berg", "Haddad", "Novak", "Costa", "Sato", "Evans", "Silva", "Moss", "Roy", "Khan"]
_BROWSERS = [f"Mozilla/5.0 ({o}) {b}" for o in ("Windows NT 10.0", "Macintosh", "Android 14",
             "iPhone OS 17") for b in ("Chrome/121", "Firefox/122", "Safari/604")]  # fmt: skip


def _people(n: int, seed: int) -> list[dict[str, object]]:
    """People from everywhere, a few minutes apart at random."""
    rng = random.Random(seed)
    rows = []
    t = 0.0
    for i in range(n):
        t += rng.expovariate(1 / 280)
        rows.append({"t": t, "name": f"{rng.choice(_FIRST)} {rng.choice(_LAST)}",
                     "email": f"{rng.choice(_FIRST).lower()}.{i}@web.de",
                     "region": rng.choice(["north", "south", "east", "west"]),
                     "ip": f"{rng.randint(2, 220)}.{rng.randrange(256)}.{rng.randrange(256)}.9",
                     "user_agent": rng.choice(_BROWSERS)})  # fmt: skip
    return rows


def test_one_mailbox_under_many_spellings_is_flagged_and_one_typo_is_not() -> None:
    assert canonical_mailbox("J.Ohn.Smith+petition1@GoogleMail.com") == "johnsmith@gmail.com"
    assert canonical_mailbox("anna+x@posteo.de") == "anna@posteo.de"
    people = _people(40, seed=1)
    spellings = ["johnsmith@gmail.com", "john.smith+1@gmail.com", "j.ohnsmith+p2@gmail.com",
                 "johns.mith@gmail.com"]  # fmt: skip
    rows = people + [
        _row(20_000.0 + 60 * i, "John Smith", e, f"90.{i}.1.1") for i, e in enumerate(spellings)
    ]
    assert flag_rows(rows) == [40, 41, 42, 43]
    twice = people + [
        _row(20_000.0, "Anna Berg", "anna.berg@gmail.com", "90.1.1.1"),
        _row(20_100.0, "Anna Berg", "annaberg@gmail.com", "90.1.1.1"),
    ]
    assert flag_rows(twice) == []


def test_an_ipv6_home_is_its_64_and_a_wave_across_64s_of_one_48_is_one_network() -> None:
    a, net_a, _ = network_of("2a02:8108:1234:5678::1")
    b, net_b, _ = network_of("2a02:8108:1234:5678:abcd:ef01:2345:6789")
    c, net_c, _ = network_of("2a02:8108:1234:9999::1")
    assert a == b != c and net_a == net_b == net_c
    assert network_of("::ffff:81.2.3.4") == network_of("81.2.3.4")
    assert network_of("") == (0, 0, 0)
    with pytest.raises(ValueError):
        network_of("81.2.3.400")
    # two devices of one home a minute apart: one address, a household, not a wave
    home = [_row(0.0, "Maria Lopez", "maria.lopez@web.de", "2a02:8108:1234:5678::1"),
            _row(70.0, "Diego Lopez", "dlopez@gmx.net", "2a02:8108:1234:5678:a:b:c:d")]  # fmt: skip
    assert flag_rows(home) == []


def test_a_lecture_of_numbered_student_addresses_behind_one_nat_is_not_a_wave() -> None:
    rng = random.Random(5)
    lecture = [
        {"t": 90_000.0 + rng.expovariate(1 / 300), "name": f"{rng.choice(_FIRST)} {rng.choice(_LAST)}",
         "email": f"s{rng.randint(1000000, 2999999)}@uni-hull.ac.uk", "region": "north",
         "ip": "130.5.6.1", "user_agent": rng.choice(_BROWSERS)}
        for _ in range(60)
    ]  # fmt: skip
    rows = sorted(_people(600, seed=2) + lecture, key=lambda r: float(r["t"]))  # type: ignore[arg-type]
    assert flag_rows(rows) == []


def test_each_heldout_wave_says_why() -> None:
    planted = heldout_signatures(days=2, per_day=2000, seed=4)
    reasons = {r for w in find_waves(features(planted.rows)) for r in w.reasons}
    assert {"one mailbox written many ways", "arrivals too regular for people",
            "far beyond its share of the traffic"} <= reasons  # fmt: skip


def test_gap_counts_by_pairs_and_by_fft_agree(monkeypatch: pytest.MonkeyPatch) -> None:
    import numpy as np

    from participation.integrity import waves

    rng = np.random.default_rng(1)
    t = np.sort(np.concatenate([rng.uniform(0, 2 * 86400, 3000), 1000 + 45.0 * np.arange(50)]))
    blocks = int(t[-1] // waves.PERIOD_BLOCK) + 1
    direct = [waves._gap_counts(t, blocks, res, lag) for res, lag in ((1.0, 3600), (0.1, 600))]
    monkeypatch.setattr(waves, "DIRECT_PAIRS", 0)
    fft = [waves._gap_counts(t, blocks, res, lag) for res, lag in ((1.0, 3600), (0.1, 600))]
    for a, b in zip(direct, fft, strict=True):
        assert np.array_equal(a, b)
    assert direct[0][:, 45].max() >= 49  # the clockwork's gaps
