"""A second, held-out planted signature set, written apart from ``planted.py`` so the wave rules
are not tuned to one generator: other names, mail domains, browsers, networks and rhythms, other
organic crowds and other wave styles. Scored with ``planted.score_signatures``.

Organic traffic: two daily peaks (morning and evening) and a quieter weekend, a viral spike (a
TV mention: every cohort rises together within minutes, then decays), carrier CGNAT pools of
/24s that carry 5-10 % of the traffic each, university NATs with bursts of real students after a
lecture (some with student-number addresses), office NATs with a burst after an internal e-mail
(one corporate browser for most), households (a second person minutes later on the same
address), IPv6 homes (one /64 each), people in Persian script, and a region five hours ahead
(another time zone: its own daily rhythm, a tenth of the traffic).

Waves: a slow jittered trickle (gaps 30-300 s, +-20 %) over many addresses with one old browser
build; residential proxies (every row another /16, realistic names and big mail domains) with one
browser, or with a few browsers and a clockwork rhythm; rotation across several /24s of a
hosting range; a botnet of realistic names at a constant rate; generated names ("John Smith123",
random letters); plus-addressing and dot variants of one gmail mailbox; a burst from one new
small domain; a regional surge; IPv6 rotation across /64s of one /48; a burst without user
agents.
"""

from __future__ import annotations

import math
import random
import string
from datetime import UTC, datetime, timedelta
from typing import Any

from tests.participation.integrity.planted import PlantedSignatures

GIVEN = ["carmen", "javier", "lucia", "diego", "elena", "pablo", "klaus", "greta", "jonas",
         "frieda", "mustafa", "aisha", "youssef", "mariam", "dariush", "shirin", "babak",
         "parisa", "kofi", "amara", "oliver", "isla", "harry", "freya", "noah", "ava", "liam",
         "mia", "mateo", "valentina", "henrik", "astrid", "tomasz", "zofia", "giulia", "marco",
         "yuki", "hiro", "chen", "mei", "arjun", "ananya", "ivan", "olga", "fatima", "samir",
         "beatriz", "rafael", "nils", "ingrid"]  # fmt: skip
FAMILY = ["fernandez", "lopez", "gonzalez", "muller", "schneider", "fischer", "becker",
          "benali", "elamrani", "tehrani", "moradi", "jafari", "mensah", "okafor", "walker",
          "wright", "evans", "thomas", "roberts", "johansson", "larsen", "nowak", "wojcik",
          "ricci", "esposito", "tanaka", "sato", "wang", "li", "sharma", "gupta", "ivanov",
          "petrova", "mansour", "saleh", "pereira", "almeida", "berg", "dahl", "okonkwo",
          "van-dijk", "de-vries", "obrien", "macdonald", "fraser"]  # fmt: skip
PERSIAN = ["سارا محمدی", "علی رضایی", "مریم حسینی", "رضا کریمی", "زهرا احمدی", "حسین موسوی",
           "فاطمه جعفری", "امید صادقی"]  # fmt: skip
BIG_MAIL = ["gmail.com", "outlook.com", "yahoo.co.uk", "hotmail.fr", "web.de", "gmx.net",
            "proton.me", "mail.ru", "icloud.com", "laposte.net", "live.com", "aol.com"]  # fmt: skip
ISP_MAIL = [f"{w}.{tld}" for w in ("telenet", "ziggo", "kpnmail", "bluewin", "tiscali", "shaw",
            "comcast", "virginmedia", "sky", "t-online", "freenet", "arcor", "libero", "alice",
            "netcourrier", "skynet", "chello", "xs4all", "planet", "home")
            for tld in ("net", "be", "nl", "it", "de")]  # fmt: skip
_OS = ["Windows NT 10.0; Win64; x64", "Windows NT 6.1; WOW64", "Macintosh; Intel Mac OS X 14_2",
       "iPad; CPU OS 16_6 like Mac OS X", "iPhone; CPU iPhone OS 16_6 like Mac OS X",
       "Linux; Android 12; M2101K6G", "Linux; Android 14; SM-S918B", "X11; Ubuntu; Linux x86_64",
       "Linux; Android 11; moto g(30)", "Windows NT 10.0; Win64; x64; rv:122.0"]  # fmt: skip
_BROWSER = ["Chrome/121.0.6167.85 Safari/537.36", "Chrome/120.0.6099.224 Safari/537.36",
            "Firefox/122.0", "Version/16.6 Mobile/15E148 Safari/604.1", "Edg/121.0.2277.83",
            "OPR/106.0.0.0", "YaBrowser/24.1.0.0", "Chrome/121.0.0.0 Mobile Safari/537.36",
            "SamsungBrowser/24.0 Chrome/117.0.0.0 Mobile Safari/537.36"]  # fmt: skip
AGENTS = [f"Mozilla/5.0 ({o}) AppleWebKit/537.36 (KHTML, like Gecko) {b}" for o in _OS
          for b in _BROWSER]  # fmt: skip
OLD_AGENT = "Mozilla/5.0 (Windows NT 6.3; Win64; x64) AppleWebKit/537.36 Chrome/79.0.3945.130"
AREAS = ["north-east", "north-west", "capital", "coast", "highlands", "lakes", "valley",
         "islands", "south", "midlands", "east-riding", "border", "delta", "plateau", "harbour",
         "forest", "river-bend", "old-town", "new-town", "airport", "university-district",
         "port", "hills", "plains", "west-end"]  # fmt: skip
HELDOUT_STYLES = ("jitter_trickle", "proxy_one_ua", "proxy_clockwork", "subnet_rotation",
                  "botnet_constant", "generated_names", "gmail_variants", "new_domain",
                  "regional_surge", "ipv6_rotation", "empty_ua")  # fmt: skip


def _agent(rng: random.Random) -> str:
    return AGENTS[min(len(AGENTS) - 1, int(rng.lognormvariate(1.2, 1.1)))]


def _person(rng: random.Random, family: str | None = None) -> tuple[str, str]:
    given = rng.choice(GIVEN)
    family = family or rng.choice(FAMILY)
    fam = family.replace("-", "")
    if rng.random() < 0.05:
        name = rng.choice(PERSIAN)
    else:
        name = f"{given.title()} {family.replace('-', ' ').title()}"
    r = rng.random()
    if r < 0.25:
        local = f"{given}.{fam}"
    elif r < 0.4:
        local = f"{given}{fam}{rng.randint(1950, 2006)}"
    elif r < 0.5:
        local = f"{given[0]}.{fam}{rng.randint(1, 99)}"
    elif r < 0.6:
        local = f"{fam}{given[0]}"
    elif r < 0.7:
        local = f"{given}_{rng.randint(10, 99)}"
    elif r < 0.8:
        local = f"{rng.choice(['moon', 'tiger', 'coffee', 'pixel', 'rain', 'sky'])}"
        local += f"{rng.choice(['walker', 'lover', 'girl', 'dude', 'queen', 'rider'])}"
    elif r < 0.9:
        local = f"{given}{fam[:3]}"
    else:
        local = f"{given}.{fam}.{rng.randint(1, 9)}"
    domain = rng.choice(BIG_MAIL) if rng.random() < 0.7 else rng.choice(ISP_MAIL)
    return name, f"{local}@{domain}"


def _home_v4(rng: random.Random) -> str:
    a = rng.choice([2, 24, 47, 67, 73, 79, 83, 87, 94, 95, 151, 173, 188, 212, 213, 217])
    return f"{a}.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}"


def _home_v6(rng: random.Random) -> str:
    return (f"2a02:{rng.choice(['8108', '810d', 'a03f', 'c7c'])}:{rng.randrange(0xFFFF):x}:"
            f"{rng.randrange(0xFFFF):x}:{rng.randrange(0xFFFF):x}::{rng.randrange(1, 0xFF):x}")  # fmt: skip


def heldout_signatures(days: int, per_day: int, seed: int,
                       styles: tuple[str, ...] = HELDOUT_STYLES, wave_size: int = 160,
                       iso: bool = False) -> PlantedSignatures:  # fmt: skip
    rng = random.Random(seed ^ 0x5EED)
    rows: list[tuple[float, dict[str, Any], str | None, str]] = []
    carriers = [  # (its /24s, share of the traffic)
        ([f"100.{rng.randrange(64, 128)}.{rng.randrange(256)}" for _ in range(4)], 0.09),
        ([f"37.{rng.randrange(256)}.{rng.randrange(256)}" for _ in range(2)], 0.06),
        ([f"80.{rng.randrange(256)}.{k}" for k in range(8, 11)], 0.05),
    ]
    universities = [([f"130.{rng.randrange(256)}.{rng.randrange(256)}.{k}" for k in (1, 2)],
                     f"uni-{x}.ac.uk") for x in ("hull", "kent")]  # fmt: skip
    offices = [(f"194.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}",
                f"{w}.com", rng.choice(AGENTS[:12])) for w in ("bigcorp", "lawhouse", "citycouncil",
                                                                "logistix")]  # fmt: skip
    area_w = [rng.lognormvariate(0, 1) for _ in AREAS]
    spike = rng.uniform(0.3, days - 0.3) * 86400

    def rate(t: float, shift: float = 0.0) -> float:
        h = ((t + shift) % 86400) / 3600
        r = 0.08 + 0.9 * math.exp(-((h - 9) ** 2) / 4) + 1.3 * math.exp(-((h - 20.5) ** 2) / 5)
        if int(t // 86400) % 7 in (5, 6):
            r *= 0.7
        if t > spike:
            r *= 1 + 9 * math.exp(-(t - spike) / 2400)
        return per_day / 86400 * r / 0.62

    peak = per_day / 86400 / 0.62 * 2.4 * 10
    t, end = 0.0, days * 86400.0

    def add(tt: float, ip: str, kind: str, name: str, email: str, ua: str, area: str) -> None:
        rows.append((tt, {"name": name, "email": email, "region": area, "ip": ip,
                          "user_agent": ua}, None, kind))  # fmt: skip

    arrivals: list[tuple[float, str | None]] = []
    while True:
        t += rng.expovariate(peak)
        if t >= end:
            break
        if rng.random() <= rate(t) / peak:
            arrivals.append((t, None))
    # a region five hours ahead (another time zone): its own rhythm, a tenth of the traffic
    t = 0.0
    while True:
        t += rng.expovariate(peak / 10)
        if t >= end:
            break
        if rng.random() <= rate(t, 5 * 3600) / peak:
            arrivals.append((t, "far-east"))
    arrivals.sort(key=lambda a: a[0])
    for t, zone in arrivals:
        name, email = _person(rng)
        area = zone or rng.choices(AREAS, area_w)[0]
        ua = _agent(rng)
        r = rng.random()
        acc = 0.0
        kind = ""
        for nets, share in carriers:
            acc += share
            if r < acc:
                ip, kind = f"{rng.choice(nets)}.{rng.randrange(1, 255)}", "cgnat"
                break
        if not kind:
            ip, kind = (_home_v6(rng), "home") if rng.random() < 0.3 else (_home_v4(rng), "home")
        add(t, ip, kind, name, email, ua, area)
        if rng.random() < 0.15:  # a household: someone else minutes later, same address
            fam = name.split()[-1].lower() if name.isascii() else None
            nm, em = _person(rng, fam)
            add(t + rng.uniform(30, 400), ip, "household", nm, em,
                ua if rng.random() < 0.4 else _agent(rng), area)  # fmt: skip
    # after a lecture / an internal e-mail: real people behind one address, in a burst
    for d in range(days):
        if d % 7 in (5, 6):
            continue
        for addrs, dom in universities:
            for _ in range(rng.randint(0, 2)):
                t0 = d * 86400 + rng.uniform(10, 17) * 3600
                numbered = rng.random() < 0.5
                for _ in range(rng.randint(15, 70)):
                    nm, em = _person(rng)
                    given, *_rest = em.split("@")[0].split(".")
                    local = (f"{rng.choice('suk')}{rng.randint(1000000, 2999999)}" if numbered
                             and rng.random() < 0.6 else em.split("@")[0])  # fmt: skip
                    add(t0 + rng.expovariate(1 / 300), rng.choice(addrs), "campus", nm,
                        f"{local}@{dom}", _agent(rng), rng.choices(AREAS, area_w)[0])  # fmt: skip
        for ip, dom, corp_ua in offices:
            if rng.random() < 0.4:
                t0 = d * 86400 + rng.uniform(9, 16) * 3600
                for _ in range(rng.randint(10, 45)):
                    nm, em = _person(rng)
                    add(t0 + rng.expovariate(1 / 900), ip, "office", nm,
                        em.split("@")[0] + "@" + dom,
                        corp_ua if rng.random() < 0.8 else _agent(rng),
                        rng.choices(AREAS, area_w)[0])  # fmt: skip
    for wi, style in enumerate(styles):
        rows.extend(_heldout_wave(style, f"h{wi}-{style}", rng, days, wave_size))
    rows.sort(key=lambda r: r[0])
    base = datetime(2026, 9, 14, 4, 30, tzinfo=UTC)
    out = []
    for tt, row, _w, _k in rows:
        row = dict(row)
        row["t"] = (base + timedelta(seconds=tt)).isoformat() if iso else round(tt, 3)
        out.append(row)
    return PlantedSignatures(out, [r[2] for r in rows], [r[3] for r in rows])


def _letters(rng: random.Random, k: int) -> str:
    return "".join(rng.choice(string.ascii_lowercase) for _ in range(k))


def _heldout_wave(style: str, name: str, rng: random.Random, days: int, size: int,
                  ) -> list[tuple[float, dict[str, Any], str, str]]:  # fmt: skip
    t = rng.uniform(0.3, days - 1.2) * 86400
    out = []
    period = rng.uniform(30, 300)
    few = rng.sample(AGENTS, 3)
    hosting = [f"{rng.choice([5, 45, 62, 185, 193])}.{rng.randrange(256)}.{rng.randrange(256)}"
               for _ in range(rng.randint(3, 6))]  # fmt: skip
    prefix48 = f"2001:{rng.randrange(0x400, 0xFFFF):x}:{rng.randrange(0xFFFF):x}"
    domain = f"{_letters(rng, 6)}-{rng.choice(['mail', 'box', 'post'])}.{rng.choice(['io', 'co'])}"
    area = rng.choice(AREAS)
    mailbox = (rng.choice(GIVEN), rng.choice(FAMILY).replace("-", ""))
    for i in range(size):
        nm, em = _person(rng)
        ip = _home_v4(rng) if rng.random() < 0.8 else _home_v6(rng)
        ua = _agent(rng)
        region = rng.choice(AREAS)
        if style == "jitter_trickle":
            t += period * rng.uniform(0.8, 1.2)
            ua = OLD_AGENT
        elif style == "proxy_one_ua":
            t += rng.expovariate(1 / 12)
            ip = f"{rng.randrange(1, 223)}.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}"
            em = em.split("@")[0] + "@" + rng.choice(BIG_MAIL[:4])
            ua = few[0]
        elif style == "proxy_clockwork":
            t += 17 + rng.uniform(-0.8, 0.8)
            ip = f"{rng.randrange(1, 223)}.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}"
            ua = rng.choice(few)
        elif style == "subnet_rotation":
            t += rng.expovariate(1 / 9)
            ip = f"{hosting[i % len(hosting)]}.{rng.randrange(2, 254)}"
        elif style == "botnet_constant":
            t += 45.0
        elif style == "generated_names":
            t += rng.expovariate(1 / 11)
            if rng.random() < 0.5:
                first, last = nm.split()[0], nm.split()[-1]
                nm = f"{first} {last}{rng.randint(1, 999)}"
                em = (
                    f"{first.lower()}{last.lower()}{rng.randint(100, 99999)}@{rng.choice(BIG_MAIL)}"
                )
            else:
                nm = f"{_letters(rng, rng.randint(4, 7)).title()} {_letters(rng, rng.randint(5, 9)).title()}"
                em = f"{_letters(rng, rng.randint(6, 10))}@{rng.choice(BIG_MAIL)}"
        elif style == "gmail_variants":
            t += rng.expovariate(1 / 25)
            g, f = mailbox
            local = g + f
            if rng.random() < 0.5:
                cut = sorted(rng.sample(range(1, len(local)), rng.randint(1, 3)))
                local = ".".join(local[a:b] for a, b in zip([0, *cut], [*cut, len(local)],
                                                             strict=True))  # fmt: skip
            if rng.random() < 0.7:
                local += f"+{rng.choice(['petition', 'p', 'x', 'sign'])}{rng.randint(1, 999)}"
            em = f"{local}@gmail.com"
        elif style == "new_domain":
            t += rng.expovariate(1 / 20)
            em = em.split("@")[0] + "@" + domain
        elif style == "regional_surge":
            t += rng.expovariate(1 / 8)
            region = area
        elif style == "ipv6_rotation":
            t += rng.expovariate(1 / 15)
            ip = f"{prefix48}:{rng.randrange(0xFFFF):x}::{rng.randrange(1, 0xFFFF):x}"
        elif style == "empty_ua":
            t += rng.expovariate(1 / 14)
            ua = ""
        out.append((t, {"name": nm, "email": em, "region": region, "ip": ip, "user_agent": ua},
                    name, style))  # fmt: skip
    return out
