"""Scripted waves of signatures: rules over a list of rows, in NumPy.

Per signature the rules need only: its time, its address and network (/24 for IPv4, /48 for
IPv6), a hash of its user agent, the e-mail domain and the shape of the local part and name
(``Features``); the petitions store exactly these (no more) and drop them with the petition's
other personal data.

**A cohort** is the signatures sharing one value of a key: an address, a network, a /16, an
e-mail domain, a user agent, a region, or "a generated-looking address". A cohort is
*surprising* in a time window when it has far more signatures there than its own share of all
signatures predicts (``Poisson`` tail under its share outside that window): a carrier's CGNAT
range or a campus NAT that always carries much of the traffic is not surprising for carrying
it; a viral hour raises every cohort together and none relative to the others.

**Sharing alone is never flagged.** A surprising burst is flagged only with evidence that the
signatures are not people (``_machine_evidence``): generated-looking e-mail local parts or
names, one user agent for almost everything where the rest of the traffic is varied, arrival
times too regular for people (coefficient of variation of the gaps), addresses walked through
a range one after the other, or more signatures a minute from one address than a room of
people produces. A household (two people a minute apart) is below every burst size; a campus
burst of real people has varied names, addresses and browsers and irregular arrivals.

**A steady trickle** spread over many addresses is found without any shared key: signatures
whose gaps repeat one period (within a second or two) for dozens of steps while the traffic
around them is too sparse for that to happen by chance (``_periodic``).
"""

from __future__ import annotations

import hashlib
import ipaddress
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

import numpy as np

WINDOWS = (600.0, 3600.0, 6 * 3600.0)  # seconds
MIN_BURST = 8  # signatures of one cohort in one window before it can be a burst
SURPRISE = 1e-6  # Poisson tail probability that makes a burst surprising
PER_MINUTE_ONE_ADDRESS = 4.0  # sustained over a burst: more than a room of people signs
PERIOD_MIN_STEPS = 12
PERIOD_CANDIDATES = 12
PERIOD_MIN, PERIOD_MAX = 20, 3600  # seconds
PERIOD_LAGS = 10  # gaps to the next few signatures looked at for a period
KNOWN_SPAN = 36 * 3600.0
FAR_BEYOND = 20.0  # a network's or domain's burst this many times its share, by itself
FAR_BEYOND_SIZE = 50  # ... when it has at least this many signatures (no room of people)
REGION_SURGE = 10.0  # a region's rate this many times its share predicts, by itself
BIG_DOMAINS = frozenset({
    "gmail.com", "googlemail.com", "yahoo.com", "yahoo.fr", "hotmail.com", "hotmail.fr",
    "outlook.com", "live.com", "icloud.com", "me.com", "aol.com", "gmx.de", "gmx.net",
    "web.de", "orange.fr", "free.fr", "laposte.net", "sfr.fr", "protonmail.com", "proton.me",
    "yandex.ru", "mail.ru", "yahoo.co.uk", "btinternet.com", "wanadoo.fr",
})  # fmt: skip


def _stable(text: str) -> int:
    return int.from_bytes(hashlib.blake2b(text.encode(), digest_size=8).digest(), "little") >> 1


def network_of(ip: str) -> tuple[int, int, int]:
    """(address, its /24 or /48, its /16 or /32) as integers; (0, 0, 0) when not an address."""
    try:
        addr = ipaddress.ip_address(ip.strip())
    except ValueError:
        return (0, 0, 0)
    if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped:
        addr = addr.ipv4_mapped
    n = int(addr)
    if addr.version == 4:
        return (n, (n >> 8) | (1 << 40), (n >> 16) | (2 << 40))
    return (n, (n >> 80) | (3 << 60), (n >> 96) | (4 << 60))


_VOWELS = set("aeiouy")
_DIGITS = re.compile(r"\d+")
_YEAR = re.compile(r"^(19[4-9]\d|20[0-2]\d|\d{2})$")


def generated_score(email: str, name: str) -> float:
    """0..1: how much an e-mail local part and a name look made by a program."""
    local = email.strip().lower().rpartition("@")[0].split("+", 1)[0]
    letters = re.sub(r"[^a-z]", "", local)
    digit_runs = _DIGITS.findall(local)
    score = 0.0
    if digit_runs:
        longest = max(digit_runs, key=len)
        if len(longest) >= 4 and not _YEAR.match(longest):
            score += 0.45
        elif len(longest) == 3:
            score += 0.2
        switches = len(re.findall(r"(?<=[a-z])(?=\d)|(?<=\d)(?=[a-z])", local))
        if switches >= 3:
            score += 0.6  # letters and digits interleaved: a8f3k2
        elif switches == 2:
            score += 0.3
    for part in sorted(re.findall(r"[a-z]{2,}", name.lower()), key=len, reverse=True):
        letters = letters.replace(part, "", 1)  # letters the name explains are not random
    if letters:
        vowel = sum(c in _VOWELS for c in letters) / len(letters)
        if len(letters) >= 5 and vowel < 0.2:
            score += 0.5
        rare = _rare_bigrams(letters) if len(letters) >= 6 else 0.0
        if rare > 0.5:
            score += 0.5
        elif rare > 0.35:
            score += 0.25
    elif local and not re.search(r"[a-z]", local):
        score += 0.6  # digits only
    nm = name.strip()
    if any(c.isdigit() for c in nm):
        score += 0.6
    latin = re.sub(r"[^a-z]", "", nm.lower())
    if len(latin) >= 5 and sum(c in _VOWELS for c in latin) / len(latin) < 0.15:
        score += 0.4
    if nm and (nm == nm.lower() and nm.isascii() or len(nm.split()) == 1 and len(nm) > 12):
        score += 0.15
    return min(1.0, score)


_COMMON_BIGRAMS = frozenset(
    "th he in er an re on at en nd ti es or te of ed is it al ar st to nt ng se ha as ou io le "
    "ve co me de hi ri ro ic ne ea ra ce li ch ll be ma si om ur ca el ta la ns di fo ho pe ec "
    "pr no ct us ac ot il tr ly nc et ut ss so rs un lo wa ge ie wh ee wi em ad ol rt po we na "
    "ul ni ts mo ow pa im mi ai sh ir su id os iv ia am fi ci vi pl ig tu ev ld ry mp fe bl ab "
    "gh ty op wo sa ay ex ke fr oo av ag if ap gr od bo sp rd do uc bu ei ov by rm ep tt oc fa "
    "ef cu rn sc gi da yo cr cl du ga qu ue ff ba ey ls va um pp ua up lu go ht ru ug ds lt pi "
    "rc rr eg au ck ew mu br bi pt ak pu ui rg ib tl ny ki rk ys ob mm fu ph og ms ye ud mb ip "
    "ub oi rl gu dr hr cc tw ft wn nu".split()
)


def _rare_bigrams(letters: str) -> float:
    pairs = [letters[i : i + 2] for i in range(len(letters) - 1)]
    return sum(p not in _COMMON_BIGRAMS for p in pairs) / len(pairs)


def parse_time(value: Any) -> float:
    """Seconds: a number as it is, an ISO 8601 time as seconds since the epoch."""
    if isinstance(value, int | float):
        return float(value)
    text = str(value).strip()
    try:
        return float(text)
    except ValueError:
        pass
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


@dataclass
class Features:
    """What the rules use, one array entry per signature (in arrival order)."""

    t: np.ndarray  # float64 seconds
    ip: np.ndarray  # int64 address key (IPv6 folded to 63 bits); 0 when none
    net: np.ndarray  # /24 or /48
    wide: np.ndarray  # /16 or /32
    ua: np.ndarray  # hash of the user agent
    domain: np.ndarray  # hash of the e-mail domain
    big_domain: np.ndarray  # bool: one of the big mail providers
    region: np.ndarray  # hash of the region
    generated: np.ndarray  # float 0..1
    ip_raw: list[int] = field(default_factory=list)  # full addresses, for range walks

    def __len__(self) -> int:
        return int(self.t.size)


def features(rows: Iterable[Mapping[str, Any]]) -> Features:
    t: list[float] = []
    ip: list[int] = []
    net: list[int] = []
    wide: list[int] = []
    ua: list[int] = []
    dom: list[int] = []
    big: list[bool] = []
    region: list[int] = []
    gen: list[float] = []
    ua_memo: dict[str, int] = {}
    net_memo: dict[str, tuple[int, int, int]] = {}
    for r in rows:
        t.append(parse_time(r.get("t", r.get("created_at", 0))))
        addr = str(r.get("ip") or "")
        n = net_memo.get(addr)
        if n is None:
            n = net_memo[addr] = network_of(addr)
        ip.append(n[0])
        net.append(n[1])
        wide.append(n[2])
        agent = str(r.get("user_agent") or "")
        h = ua_memo.get(agent)
        if h is None:
            h = ua_memo[agent] = _stable(agent)
        ua.append(h)
        email = str(r.get("email") or "")
        d = email.strip().lower().rpartition("@")[2]
        dom.append(_stable(d))
        big.append(d in BIG_DOMAINS)
        region.append(_stable(str(r.get("region") or "")))
        gen.append(generated_score(email, str(r.get("name") or "")))
    mask = (1 << 63) - 1
    return Features(
        t=np.array(t, dtype=np.float64),
        ip=np.array([x & mask for x in ip], dtype=np.int64),
        net=np.array([x & mask for x in net], dtype=np.int64),
        wide=np.array([x & mask for x in wide], dtype=np.int64),
        ua=np.array(ua, dtype=np.int64),
        domain=np.array(dom, dtype=np.int64),
        big_domain=np.array(big, dtype=bool),
        region=np.array(region, dtype=np.int64),
        generated=np.array(gen, dtype=np.float64),
        ip_raw=ip,
    )


# ---- the rules --------------------------------------------------------------------------------


@dataclass
class Wave:
    rule: str  # which cohort: "ip", "net", "wide", "domain", "ua", "region", "generated", "period"
    rows: np.ndarray  # positions
    reasons: list[str]


def _poisson_tail(k: int, mean: float) -> float:
    """P(X >= k) for X ~ Poisson(mean), in log space (no underflow)."""
    if k <= mean:
        return 1.0
    mean = max(mean, 1e-9)
    # Chernoff bound, tight enough for a threshold at 1e-6
    return math.exp(-mean + k - k * math.log(k / mean)) if k > 0 else 1.0


def _bursts(
    keys: np.ndarray, t: np.ndarray, eligible: np.ndarray
) -> list[tuple[np.ndarray, float]]:
    """Segments (positions, in time order) where one key has far more signatures than its
    share of the traffic predicts, in any of the WINDOWS."""
    n = t.size
    order = np.argsort(t, kind="stable")
    ts = t[order]
    out: list[tuple[np.ndarray, float]] = []
    k_sorted = keys[order]
    el = eligible[order]
    by_key = np.argsort(k_sorted, kind="stable")
    ks = k_sorted[by_key]
    cuts = np.flatnonzero(np.diff(ks)) + 1
    starts = np.concatenate([[0], cuts])
    ends = np.concatenate([cuts, [n]])
    big = (ends - starts) >= MIN_BURST
    for s, e in zip(starts[big].tolist(), ends[big].tolist(), strict=True):
        pos = by_key[s:e]  # positions in time order (argsort is stable) of this key
        if not el[pos[0]]:
            continue
        kt = ts[pos]
        total_k = pos.size
        flagged = np.zeros(pos.size, dtype=bool)
        ratio = np.zeros(pos.size)
        for w in WINDOWS:
            right = np.searchsorted(kt, kt + w, side="left")
            count = right - np.arange(pos.size)
            cand = np.flatnonzero(count >= MIN_BURST)
            if cand.size == 0:
                continue
            all_in = (np.searchsorted(ts, kt[cand] + w, side="left")
                      - np.searchsorted(ts, kt[cand], side="left"))  # fmt: skip
            c = count[cand]
            share = (total_k - c) / np.maximum(1, n - all_in)
            expected = all_in * share
            for j, cnt, exp_ in zip(cand.tolist(), c.tolist(), expected.tolist(), strict=True):
                if flagged[j] and flagged[j + cnt - 1]:
                    continue
                if cnt >= 3 * exp_ + MIN_BURST and _poisson_tail(cnt, exp_) < SURPRISE:
                    flagged[j : j + cnt] = True
                    r = cnt / max(exp_, 0.5)
                    ratio[j : j + cnt] = np.maximum(ratio[j : j + cnt], r)
        if flagged.any():
            idx = np.flatnonzero(flagged)
            gaps = np.flatnonzero(np.diff(idx) > 1) + 1
            for seg in np.split(idx, gaps):
                seg = _core(seg, kt)
                if seg.size >= MIN_BURST:
                    out.append((order[pos[seg]], float(ratio[seg].max())))
    return out


def _core(seg: np.ndarray, kt: np.ndarray) -> np.ndarray:
    """The dense part of a burst: its ends lose the signatures that only the window's length
    swept in (a gap much longer than the burst's typical gap)."""
    while seg.size >= MIN_BURST:
        gaps = np.diff(kt[seg])
        limit = max(60.0, 5 * float(np.median(gaps)))
        if gaps[0] > limit:
            seg = seg[1:]
        elif gaps[-1] > limit:
            seg = seg[:-1]
        else:
            break
    return seg


def _cv(times: np.ndarray) -> float:
    gaps = np.diff(np.sort(times))
    if gaps.size < 2 or gaps.mean() <= 0:
        return 0.0
    return float(gaps.std() / gaps.mean())


def _machine_evidence(f: Features, seg: np.ndarray, rule: str, ua_norm: float) -> list[str]:
    """Reasons to believe a burst is a program, not people (see the module docstring)."""
    reasons = []
    n = seg.size
    gen = f.generated[seg]
    if (gen >= 0.45).mean() >= 0.4:
        reasons.append("generated addresses or names")
    uas, counts = np.unique(f.ua[seg], return_counts=True)
    top = counts.max() / n
    if rule != "ua" and top >= 0.85 and top > 3 * ua_norm and n >= 10:
        reasons.append("one user agent")
    times = np.sort(f.t[seg])
    span = float(times[-1] - times[0])
    if n >= PERIOD_MIN_STEPS and _cv(times) < 0.35:
        reasons.append("regular arrivals")
    ips = np.array([f.ip_raw[i] for i in seg[np.argsort(f.t[seg], kind="stable")]], dtype=object)
    if rule in ("net", "wide") and n >= 10:
        distinct = len(set(ips.tolist())) / n
        steps = np.array([abs(int(a) - int(b)) for a, b in zip(ips[1:], ips[:-1], strict=True)])
        if distinct > 0.8 and (steps <= 4).mean() >= 0.5:
            reasons.append("addresses walked through a range")
    if rule == "ip" and n >= 20 and n / max(span / 60.0, 1.0) > PER_MINUTE_ONE_ADDRESS:
        reasons.append("too many a minute for one address")
    return reasons


def _periodic(f: Features) -> list[np.ndarray]:
    """Chains of signatures whose successive gaps repeat one period while the traffic around
    them is sparse enough for that to be no accident."""
    n = len(f)
    if n < PERIOD_MIN_STEPS * 2:
        return []
    order = np.argsort(f.t, kind="stable")
    ts = f.t[order]
    out: list[np.ndarray] = []
    # candidate periods: the most common whole-second gaps between a row and its next few
    counts = np.zeros(PERIOD_MAX + 2)
    for k in range(1, PERIOD_LAGS + 1):
        lag = np.round(ts[k:] - ts[:-k]).astype(np.int64)
        counts += np.bincount(lag[lag <= PERIOD_MAX], minlength=PERIOD_MAX + 2)
    # a period stands out of the gaps around it (people's gaps are smooth in length); a
    # little jitter spreads it over neighbouring seconds
    near = np.convolve(counts, np.ones(3), mode="same")
    baseline = np.convolve(near, np.ones(51) / 51, mode="same")
    score = (near - baseline) / np.sqrt(baseline + 1)
    score[:PERIOD_MIN] = 0
    candidates = np.argsort(-score, kind="stable")[:PERIOD_CANDIDATES]
    candidates = candidates[score[candidates] > 3]
    # signatures a second around each one: how likely an accidental "next step" is
    density = (np.searchsorted(ts, ts + 300, side="left")
               - np.searchsorted(ts, ts - 300, side="left")) / 600.0  # fmt: skip
    taken = np.zeros(n, dtype=bool)
    arange = np.arange(n)
    for period in candidates.tolist():
        tol = max(2.0, 0.05 * period)
        first = np.searchsorted(ts, ts + period - tol, side="left")
        succ = np.full(n, -1, dtype=np.int64)
        best = np.full(n, np.inf)
        for k in range(3):  # the closest of the next few to exactly one period later
            cand = first + k
            ok = cand < n
            off = np.full(n, np.inf)
            off[ok] = np.abs(ts[cand[ok]] - ts[arange[ok]] - period)
            better = (off <= tol) & (off < best)
            succ[better] = cand[better]
            best[better] = off[better]
        log_chance = np.log(np.minimum(1.0, density * 2 * tol))
        has_pred = np.zeros(n, dtype=bool)
        has_pred[succ[succ >= 0]] = True
        for h in np.flatnonzero((succ >= 0) & ~has_pred & ~taken).tolist():
            members = [h]
            i = int(succ[h])
            while i >= 0 and not taken[i] and len(members) < n:
                members.append(i)
                i = int(succ[i])
            if len(members) < PERIOD_MIN_STEPS:
                continue
            if float(log_chance[members[:-1]].sum()) < math.log(1e-3 / n):
                taken[members] = True
                out.append(order[np.array(members)])
    return out


def find_waves(f: Features) -> list[Wave]:
    """Every wave the rules find (a signature may be in several)."""
    waves: list[Wave] = []
    if len(f) == 0:
        return waves
    has_ip = f.ip != 0
    _, ua_counts = np.unique(f.ua, return_counts=True)
    ua_norm = float(ua_counts.max() / len(f))
    cohorts = {
        "ip": (f.ip, has_ip),
        "net": (f.net, has_ip),
        "wide": (f.wide, has_ip),
        "domain": (f.domain, ~f.big_domain),
        "ua": (f.ua, np.ones(len(f), dtype=bool)),
        "region": (f.region, np.ones(len(f), dtype=bool)),
        "generated": ((f.generated >= 0.45).astype(np.int64), f.generated >= 0.45),
    }
    known = _established(f)
    for rule, (keys, eligible) in cohorts.items():
        for seg, ratio in _bursts(keys, f.t, eligible):
            reasons = _machine_evidence(f, seg, rule, ua_norm)
            if rule == "region" and ratio >= REGION_SURGE and seg.size >= FAR_BEYOND_SIZE:
                reasons.append("sudden regional surge")
            elif (
                rule in ("net", "wide", "domain")
                and ratio >= FAR_BEYOND
                and seg.size >= FAR_BEYOND_SIZE
                and known[seg].mean() < 0.2
            ):
                reasons.append("far beyond its share of the traffic")
            if rule == "generated":
                reasons = [r for r in reasons if r != "generated addresses or names"]
                if seg.size >= MIN_BURST:
                    reasons.append("burst of generated addresses or names")
            if reasons:
                waves.append(Wave(rule, seg, reasons))
    for seg in _periodic(f):
        waves.append(Wave("period", seg, ["arrivals too regular for people"]))
    # a wave found by what its signatures say (region, domain, browser, addresses, timing)
    # does not take along the people of a known shared address signing at the same time
    for w in waves:
        if w.rule not in ("ip", "net", "wide"):
            w.rows = w.rows[~known[w.rows]]
    return [w for w in waves if w.rows.size]


def _established(f: Features) -> np.ndarray:
    """Per signature: its address signed over at least ``KNOWN_SPAN`` seconds (a carrier CGNAT
    address, a campus or an office: a known shared address). A wave's address is used for the
    wave's few hours only."""
    has_ip = f.ip != 0
    order = np.lexsort((f.t, f.ip))
    ips = f.ip[order]
    ts = f.t[order]
    cuts = np.flatnonzero(np.diff(ips)) + 1
    starts = np.concatenate([[0], cuts])
    ends = np.concatenate([cuts, [ips.size]]) - 1
    known_ips = ips[starts][ts[ends] - ts[starts] >= KNOWN_SPAN]
    return has_ip & np.isin(f.ip, known_ips)


def flag_rows(rows: Sequence[Mapping[str, Any]]) -> list[int]:
    """0-based positions of the signatures the platform would hold as suspect."""
    f = features(rows)
    flagged: set[int] = set()
    for w in find_waves(f):
        flagged.update(w.rows.tolist())
    return sorted(flagged)


@dataclass(frozen=True)
class WaveSummary:
    """One wave as a moderator reviews it: which rule found it and why, its signatures (the
    rows' ``id``, else their positions) and when it ran."""

    rule: str
    reasons: tuple[str, ...]
    ids: tuple[Any, ...]
    first_t: float
    last_t: float


def wave_summaries(rows: Sequence[Mapping[str, Any]]) -> list[WaveSummary]:
    """The waves of these signatures, each once (two rules finding the same signatures make
    one wave with both reasons), largest first: what a moderator accepts or removes with one
    act. A signature may be in two waves that overlap without being the same."""
    f = features(rows)
    merged: dict[tuple[int, ...], tuple[list[str], list[str]]] = {}
    for w in find_waves(f):
        key = tuple(sorted(int(i) for i in w.rows.tolist()))
        rules, reasons = merged.setdefault(key, ([], []))
        rules.append(w.rule)
        reasons.extend(r for r in w.reasons if r not in reasons)
    out = []
    for positions, (rules, reasons) in merged.items():
        times = f.t[list(positions)]
        ids = tuple(rows[i].get("id", i) for i in positions)
        out.append(WaveSummary("+".join(dict.fromkeys(rules)), tuple(reasons), ids,
                               float(times.min()), float(times.max())))  # fmt: skip
    out.sort(key=lambda s: (-len(s.ids), s.first_t))
    return out
