"""Scripted waves of signatures: rules over a list of rows, in NumPy.

Per signature the rules need only: its time, its address and network (/24 for IPv4, /48 for
IPv6; an IPv6 home is its /64, whose last half a device changes at will), a hash of its user
agent, the e-mail domain, the mailbox and the shape of the local part and name (``Features``);
the petitions store exactly these (no more) and drop them with the petition's other personal
data.

**A cohort** is the signatures sharing one value of a key: an address, a network, a /16, an
e-mail domain, a user agent, a region, or "a generated-looking address". A cohort is
*surprising* in a time window when it has far more signatures there (twice and a Poisson tail
under 1e-6) than its own share of all signatures predicts, the share taken outside that window
at the same time of day on other days and in the hours around on the same day, whichever is
larger: a carrier's CGNAT range or a campus NAT that always carries much of the traffic is not
surprising for carrying it; a viral hour raises every cohort together and none relative to
the others; a region in another time zone, phones in the evening, an office in working hours
keep their own rhythm. A burst is the shortest run of the cohort that holds its excess, not
the hours a long window swept in.

**Sharing alone is never flagged.** A surprising burst is flagged only with evidence that the
signatures are not people (``_machine_evidence``): generated-looking e-mail local parts or
names, one user agent over many unrelated addresses where the rest of the traffic is varied,
arrival times too regular for people (most gaps within a quarter of their median), addresses
walked through a range one after the other, more signatures a minute from one address than a
room of people produces from one device, or a cohort far beyond its share (ten times) spread
over many unrelated addresses and new (a range, a domain or a browser build, or no browser at
all, that people do not all pick up in the same hour); a region beyond its share by more
signatures the fewer times beyond it is. One address with one browser is one device or one
office's standard machine, not evidence; a household (two people a minute apart) is below
every burst size; a campus or office burst of real people comes through one or two addresses,
with varied names and irregular arrivals; an institution's numbered addresses
(``s2034567@uni.example``, one shape at one small domain) are not "generated".

**One mailbox written many ways** (``j.ohn.smith+1@gmail.com``, ``johnsmith+x@gmail.com``): the
same canonical mailbox under three spellings or more is a script multiplying one address.

**A steady trickle** spread over many addresses is found without any shared key: signatures
whose gaps repeat one period (within a second and a half or 5 %, or within a quarter second
for clockwork scripts) for a dozen steps while the traffic around them is too sparse for that
to happen by chance (``_periodic``). Candidate periods are the gap lengths that stand out in
the autocorrelation of the arrivals over a few hours (by FFT). Where people sign every second,
a jittered trickle with nothing else in common is not distinguishable from them by its times.
"""

from __future__ import annotations

import ipaddress
import math
import re
from array import array
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import numpy as np

WINDOWS = (600.0, 3600.0, 6 * 3600.0)  # seconds
MIN_BURST = 8  # signatures of one cohort in one window before it can be a burst
SURPRISE = 1e-6  # Poisson tail probability that makes a burst surprising
DAY = 86400.0
AROUND = 3 * 3600.0  # the hours around a window on its own day
SHARE_PRIOR = 200.0  # signatures' worth of weight for a cohort's overall share
INSIDE_WEIGHT = 50.0  # signatures' worth of weight for its share inside the window itself
BURST_FACTOR = 2.0  # ... and at least this many times what its share predicts
PER_MINUTE_ONE_ADDRESS = 4.0  # sustained over a burst: more than a room of people signs
GENERATED = 0.45  # generated_score from which an address or a name looks made by a program
PERIOD_MIN_STEPS = 12
PERIOD_CANDIDATES = 8  # periods tried in each few hours
PERIOD_MIN, PERIOD_MAX = 5, 3600  # seconds
PERIOD_BLOCK = 3 * 3600.0  # periods are looked for in a few hours at a time ...
PERIOD_SPANS = (2, 4)  # ... of so many blocks
PERIOD_MAX_BLOCKS = 12_000  # four years of blocks at most
DIRECT_PAIRS = 30_000_000  # pairs of signatures counted one by one rather than by FFT
PERIOD_TOL = 1.5  # seconds: a step of a chain is one period later within this ...
PERIOD_JITTER = 0.05  # ... or within this share of the period
PERIOD_FINE = 0.1  # seconds: bins of the second look, for clockwork scripts ...
PERIOD_FINE_MAX = 600  # ... with periods up to this ...
PERIOD_FINE_TOL = 0.25  # ... each step within this of one period later
PERIOD_Z = 3.5  # how far a gap length must stand out of the lengths around it
KNOWN_SPAN = 36 * 3600.0
FAR_BEYOND = 10.0  # a cohort's burst this many times its share, by itself ...
FAR_BEYOND_SIZE = 50  # ... when it has at least this many signatures (no room of people)
FAR_BEYOND_SPREAD = 20  # ... or this many, nearly all from distinct addresses of one network
SPREAD = 0.5  # share of a burst's signatures on distinct addresses (networks) for "spread"
FAR_SPREAD = 0.8  # ... for a domain or a browser build far beyond its share
REGION_SURGE = 10.0  # a region's rate this many times its share predicts, by itself ...
REGION_RISE = 2.5  # ... or this many times, with signatures beyond its share ...
REGION_EXCESS = 400  # ... times (ratio - 1) at least this
MAILBOX_SPELLINGS = 3  # spellings of one mailbox that no person writes
BIG_DOMAINS = frozenset({
    "gmail.com", "googlemail.com", "yahoo.com", "yahoo.fr", "hotmail.com", "hotmail.fr",
    "outlook.com", "live.com", "icloud.com", "me.com", "aol.com", "gmx.de", "gmx.net",
    "web.de", "orange.fr", "free.fr", "laposte.net", "sfr.fr", "protonmail.com", "proton.me",
    "yandex.ru", "mail.ru", "yahoo.co.uk", "btinternet.com", "wanadoo.fr", "hotmail.co.uk",
    "msn.com", "mail.com", "zoho.com", "qq.com", "163.com", "naver.com", "yahoo.de",
})  # fmt: skip
_DOTLESS = frozenset({"gmail.com", "googlemail.com"})  # dots in the local part mean nothing

_SHAPE = str.maketrans("abcdefghijklmnopqrstuvwxyz0123456789", "a" * 26 + "9" * 10)
_V4 = 1 << 40
_V6 = 1 << 60


def network_of(ip: str) -> tuple[int, int, int]:
    """(address, its /24 or /48, its /16 or /32) as integer keys below 2**63; an IPv6 address
    is keyed by its /64 (a home's prefix; devices change the rest at will); (0, 0, 0) when
    empty; ValueError when not an address."""
    text = ip.strip()
    if not text:
        return (0, 0, 0)
    parts = text.split(".")
    if len(parts) == 4 and all(p.isdigit() and len(p) <= 3 for p in parts):
        a, b, c, d = (int(p) for p in parts)
        if a > 255 or b > 255 or c > 255 or d > 255:
            raise ValueError(f"{ip!r} is not an IP address")
        n = (a << 24) | (b << 16) | (c << 8) | d
        return (n, (n >> 8) | _V4, (n >> 16) | (2 * _V4))
    addr = ipaddress.ip_address(text)  # ValueError when not an address
    if isinstance(addr, ipaddress.IPv6Address) and addr.ipv4_mapped:
        return network_of(str(addr.ipv4_mapped))
    n = int(addr)
    if addr.version == 4:
        return (n, (n >> 8) | _V4, (n >> 16) | (2 * _V4))
    return (((n >> 64) & (_V6 - 1)) | _V6, (n >> 80) | (3 * _V6), (n >> 96) | (4 * _V6))


_DIGIT = re.compile(r"\d")
_DIGITS = re.compile(r"\d+")
_LATIN = re.compile(r"[a-z]")
_SWITCH = re.compile(r"(?<=[a-z])(?=\d)|(?<=\d)(?=[a-z])")
_NOT_LETTER = re.compile(r"[^a-z]")
_WORD2 = re.compile(r"[a-z]{2,}")
_YEAR = re.compile(r"^(19[4-9]\d|20[0-2]\d|\d{2})$")
_NO_VOWELS = str.maketrans("", "", "aeiouy")


def _vowel_share(letters: str) -> float:
    return 1.0 - len(letters.translate(_NO_VOWELS)) / len(letters)


def generated_score(email: str, name: str) -> float:
    """0..1: how much an e-mail local part and a name look made by a program."""
    return _generated_score(email, name, {})


def _generated_score(email: str, name: str, words_seen: dict[str, tuple[int, int]]) -> float:
    """``generated_score`` with a memo of name words (pairs of letters, rare pairs)."""
    local = email.strip().lower().rpartition("@")[0].split("+", 1)[0]
    letters = _NOT_LETTER.sub("", local)
    score = 0.0
    if _DIGIT.search(local):
        digit_runs = _DIGITS.findall(local)
        longest = max(digit_runs, key=len)
        if len(longest) >= 4 and not _YEAR.match(longest):
            score += 0.45
        elif len(longest) == 3:
            score += 0.2
        switches = len(_SWITCH.findall(local))
        if switches >= 3:
            score += 0.6  # letters and digits interleaved: a8f3k2
        elif switches == 2:
            score += 0.3
    lname = name.lower()
    words = _WORD2.findall(lname)
    if letters:
        for part in sorted(words, key=len, reverse=True):
            if part in letters:
                letters = letters.replace(part, "", 1)  # what the name explains is not random
    if letters:
        if len(letters) >= 5 and _vowel_share(letters) < 0.2:
            score += 0.5
        rare = _rare_bigrams(letters) if len(letters) >= 6 else 0.0
        if rare > 0.5:
            score += 0.5
        elif rare > 0.35:
            score += 0.25
    elif local and not _LATIN.search(local):
        score += 0.6  # digits only
    nm = name.strip()
    if _DIGIT.search(nm):
        score += 0.6
    if words:
        latin = "".join(words)
        if len(latin) >= 5 and _vowel_share(latin) < 0.15:
            score += 0.4
        if len(latin) >= 8:  # a name of random letters: pairs of letters no language uses
            pairs = rare_name = 0
            for w in words:
                seen = words_seen.get(w)
                if seen is None:
                    seen = words_seen[w] = (len(w) - 1, sum(
                        w[i : i + 2] not in _COMMON_BIGRAMS and w[i : i + 2] not in _NAME_BIGRAMS
                        for i in range(len(w) - 1)))  # fmt: skip
                pairs += seen[0]
                rare_name += seen[1]
            if rare_name / pairs > 0.45:
                score += 0.5
    if nm and (nm == lname and nm.isascii() or len(nm.split()) == 1 and len(nm) > 12):
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
# pairs common in names of many languages (transliterated) though rare in English words
_NAME_BIGRAMS = frozenset(
    "ah eh ih oh uh ja je ji jo ju ka ko ku kh zh zi za ze zo yu ya yi iy aj ej ij oj uj sz cz "
    "kr kl kw nk nj dj dz ov ev va vo vi ky ki ke ak ek ik uk ok sk ks hm hs hn hr ts tz aa ii "
    "uu oz az ez iz uz ng nh mh dh bh jh kk ll mm nn ss tt ff yy ha hu ho sa su si dr ry".split()
)


def _rare_bigrams(letters: str) -> float:
    pairs = [letters[i : i + 2] for i in range(len(letters) - 1)]
    return sum(p not in _COMMON_BIGRAMS for p in pairs) / len(pairs)


def parse_time(value: Any) -> float:
    """Seconds: a number as it is, an ISO 8601 time as seconds since the epoch (UTC when it
    names no offset). ValueError/TypeError when neither, or not finite."""
    if isinstance(value, bool) or value is None:
        raise TypeError("not a time")
    if isinstance(value, int | float):
        seconds = float(value)
    else:
        text = str(value).strip()
        try:
            seconds = float(text)
        except ValueError:
            moment = datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
            if moment.tzinfo is None:
                moment = moment.replace(tzinfo=UTC)
            seconds = moment.timestamp()
    if not math.isfinite(seconds):
        raise ValueError("not a finite time")
    return seconds


def canonical_mailbox(email: str) -> str:
    """The mailbox an address delivers to: lower case, no ``+tag``, no dots for gmail."""
    local, _, domain = email.strip().lower().rpartition("@")
    local = local.split("+", 1)[0]
    if domain in _DOTLESS:
        local, domain = local.replace(".", ""), "gmail.com"
    return f"{local}@{domain}"


@dataclass
class Features:
    """What the rules use, one array entry per signature (in arrival order)."""

    t: np.ndarray  # float64 seconds
    ip: np.ndarray  # int64 address key (an IPv6 address by its /64); 0 when none
    net: np.ndarray  # /24 or /48
    wide: np.ndarray  # /16 or /32
    ua: np.ndarray  # int64 key of the user agent; 0 when none
    domain: np.ndarray  # int64 key of the e-mail domain
    big_domain: np.ndarray  # bool: one of the big mail providers
    region: np.ndarray  # int64 key of the region
    generated: np.ndarray  # float 0..1
    mailbox: np.ndarray  # int64 hash of the canonical mailbox (0 when no e-mail)
    spelling: np.ndarray  # int64 hash of the address as written
    template: np.ndarray  # int64: a generated-looking address's shape at its domain, else 0

    def __len__(self) -> int:
        return int(self.t.size)


class FeatureBuilder:
    """Features of signatures given one at a time (a file is never held in memory as rows).
    ``strict``: a bad ``t`` or IP address raises ValueError (a file's bad line); otherwise a
    bad address counts as none (the platform's stored rows)."""

    def __init__(self, strict: bool = False) -> None:
        self.strict = strict
        self._t = array("d")
        self._ip = array("q")
        self._net = array("q")
        self._wide = array("q")
        self._ua = array("q")
        self._domain = array("q")
        self._big = bytearray()
        self._region = array("q")
        self._gen = array("d")
        self._mailbox = array("q")
        self._spelling = array("q")
        self._template = array("q")
        self._ua_ids: dict[str, int] = {"": 0}
        self._domain_ids: dict[str, tuple[int, bool]] = {}
        self._region_ids: dict[str, int] = {}
        self._words: dict[str, tuple[int, int]] = {}  # name words: letter pairs, rare ones

    def add(self, r: Mapping[str, Any]) -> None:
        if "t" in r:
            try:
                t = parse_time(r["t"])
            except (TypeError, ValueError, OverflowError):
                raise ValueError('"t" is neither seconds nor an ISO 8601 time') from None
        elif self.strict:
            raise ValueError('no "t" (seconds or an ISO 8601 time)')
        else:
            t = parse_time(r.get("created_at", 0))
        addr = r.get("ip")
        try:
            ip, net, wide = network_of(str(addr)) if addr else (0, 0, 0)
        except ValueError:
            if self.strict:
                raise ValueError(f'"ip" {addr!r} is not an IPv4 or IPv6 address') from None
            ip = net = wide = 0
        agent = r.get("user_agent") or ""
        if not isinstance(agent, str):
            agent = str(agent)
        ua = self._ua_ids.get(agent)
        if ua is None:
            ua = self._ua_ids[agent] = len(self._ua_ids)
        email = r.get("email") or ""
        if not isinstance(email, str):
            email = str(email)
        email = email.strip().lower()
        local, _, d = email.rpartition("@")
        dom = self._domain_ids.get(d)
        if dom is None:
            dom = self._domain_ids[d] = (len(self._domain_ids) + 1, d in BIG_DOMAINS)
        region = str(r.get("region") or "")
        reg = self._region_ids.get(region)
        if reg is None:
            reg = self._region_ids[region] = len(self._region_ids)
        name = r.get("name") or ""
        if not isinstance(name, str):
            name = str(name)
        if email:
            box = local.split("+", 1)[0]
            if d in _DOTLESS:
                box = box.replace(".", "") + "@gmail.com"
            else:
                box = box + "@" + d
            self._mailbox.append(hash(box) & 0x7FFFFFFFFFFFFFFF or 1)
            self._spelling.append(hash(email) & 0x7FFFFFFFFFFFFFFF)
        else:
            self._mailbox.append(0)
            self._spelling.append(0)
        self._t.append(t)
        self._ip.append(ip)
        self._net.append(net)
        self._wide.append(wide)
        self._ua.append(ua)
        self._domain.append(dom[0])
        self._big.append(dom[1])
        self._region.append(reg)
        gen = _generated_score(email, name, self._words) if email or name else 0.0
        self._gen.append(gen)
        if gen >= GENERATED and local and not dom[1]:
            shape = local.translate(_SHAPE)
            self._template.append(hash(shape + "@" + d) & 0x7FFFFFFFFFFFFFFF or 1)
        else:
            self._template.append(0)

    def features(self) -> Features:
        def q(a: array) -> np.ndarray:  # type: ignore[type-arg]
            return np.frombuffer(a, dtype=np.int64) if len(a) else np.zeros(0, dtype=np.int64)

        return Features(
            t=np.frombuffer(self._t, dtype=np.float64) if len(self._t) else np.zeros(0),
            ip=q(self._ip),
            net=q(self._net),
            wide=q(self._wide),
            ua=q(self._ua),
            domain=q(self._domain),
            big_domain=np.frombuffer(bytes(self._big), dtype=np.uint8).astype(bool),
            region=q(self._region),
            generated=np.frombuffer(self._gen, dtype=np.float64) if len(self._gen)
            else np.zeros(0),
            mailbox=q(self._mailbox),
            spelling=q(self._spelling),
            template=q(self._template),
        )  # fmt: skip


def features(rows: Iterable[Mapping[str, Any]]) -> Features:
    builder = FeatureBuilder()
    for r in rows:
        builder.add(r)
    return builder.features()


# ---- the rules --------------------------------------------------------------------------------


@dataclass
class Wave:
    rule: str  # which cohort: "ip", "net", "wide", "domain", "ua", "region", "generated",
    # "mailbox", "period"
    rows: np.ndarray  # positions
    reasons: list[str]


def _log_tail(k: np.ndarray, mean: np.ndarray) -> np.ndarray:
    """log P(X >= k) for X ~ Poisson(mean) (Chernoff bound, tight enough for a threshold at
    1e-6), elementwise; 0 where k <= mean."""
    mean = np.maximum(mean, 1e-9)
    k = k.astype(np.float64)
    out = -mean + k - k * np.log(np.maximum(k, 1e-9) / mean)
    return np.where(k > mean, out, 0.0)


@dataclass
class _Timeline:
    order: np.ndarray  # positions in time order
    ts: np.ndarray  # their times
    rank: np.ndarray  # per position, its index in time order
    ends: dict[float, np.ndarray]  # per window: index in time order of the first one after it
    tod: np.ndarray  # cumulative counts by second of the day
    around: dict[float, tuple[np.ndarray, np.ndarray]]  # per window: AROUND before, after


def _timeline(t: np.ndarray) -> _Timeline:
    order = np.argsort(t, kind="stable")
    rank = np.empty_like(order)
    rank[order] = np.arange(order.size)
    ts = t[order]
    ends = {w: np.searchsorted(ts, ts + w, side="left") for w in WINDOWS}
    around = {
        w: (np.searchsorted(ts, ts - AROUND, side="left"),
            np.searchsorted(ts, ts + w + AROUND, side="left"))
        for w in WINDOWS
    }  # fmt: skip
    return _Timeline(order, ts, rank, ends, _tod_counter(ts), around)


def _tod_counter(times: np.ndarray) -> np.ndarray:
    """Cumulative counts of these times by second of the day (``_tod_count`` reads them)."""
    per_second = np.bincount((times % DAY).astype(np.int64), minlength=int(DAY))[: int(DAY)]
    return np.concatenate([[0], np.cumsum(per_second)])


def _tod_count(cum: np.ndarray, start: np.ndarray, w: float) -> np.ndarray:
    """How many times fall in the seconds of the day [start, start + w), across midnight."""
    a = start.astype(np.int64)
    e = a + int(w)
    day = int(DAY)
    inside = cum[np.minimum(e, day)] - cum[a]
    return inside + np.where(e > day, cum[np.clip(e - day, 0, day)], 0)


def _bursts(keys: np.ndarray, tl: _Timeline, eligible: np.ndarray
            ) -> list[tuple[np.ndarray, float]]:  # fmt: skip
    """Segments (positions, in time order) where one key has far more signatures than its
    share of the traffic predicts, in any of the WINDOWS."""
    n = tl.ts.size
    k_sorted = keys[tl.order]
    chosen = np.flatnonzero(eligible[tl.order])  # indices in time order
    if chosen.size < MIN_BURST:
        return []
    by_key = chosen[np.argsort(k_sorted[chosen], kind="stable")]  # time order within a key
    ks = k_sorted[by_key]
    cuts = np.flatnonzero(ks[1:] != ks[:-1]) + 1
    starts = np.concatenate([[0], cuts])
    ends = np.concatenate([cuts, [by_key.size]])
    big = (ends - starts) >= MIN_BURST
    out: list[tuple[np.ndarray, float]] = []
    log_surprise = math.log(SURPRISE)
    for s, e in zip(starts[big].tolist(), ends[big].tolist(), strict=True):
        pos = by_key[s:e]  # indices in time order of this key's signatures
        kt = tl.ts[pos]
        m = pos.size
        total_k = m
        cover = np.zeros(m + 1, dtype=np.int64)
        ratio_at = np.zeros(m)
        arange = np.arange(m)
        k_tod = _tod_counter(kt)
        for w in WINDOWS:
            right = np.searchsorted(kt, kt + w, side="left")
            count = right - arange
            cand = np.flatnonzero(count >= MIN_BURST)
            if cand.size == 0:
                continue
            all_in = tl.ends[w][pos[cand]] - pos[cand]
            c = count[cand]
            # its share outside the window, drawn toward its share inside it as far as there
            # is little outside (a new petition's first hour is no burst of the region or the
            # browsers that happen to carry it: there is nothing yet to be beyond)
            share = (total_k - c + INSIDE_WEIGHT * c / all_in) / (n - all_in + INSIDE_WEIGHT)
            # at the same time of day on other days (a region in another time zone, phones
            # in the evening, an office in working hours), the prior its share overall
            start = kt[cand] % DAY
            for width, begin in ((DAY / 4, (start + w / 2 - DAY / 8) % DAY), (w, start)):
                # first the hours around (a quarter of a day), then the window's own
                k_other = _tod_count(k_tod, begin, width) - c
                all_other = _tod_count(tl.tod, begin, width) - all_in
                share = (np.maximum(k_other, 0) + SHARE_PRIOR * share) / (
                    np.maximum(all_other, 0) + SHARE_PRIOR
                )
            # nor less than its share in the hours just before and after (a cohort rising
            # with the day's own events, or everyone else quiet for a while)
            k_around = (np.searchsorted(kt, kt[cand] + w + AROUND, side="left")
                        - np.searchsorted(kt, kt[cand] - AROUND, side="left") - c)  # fmt: skip
            all_around = tl.around[w][1][pos[cand]] - tl.around[w][0][pos[cand]] - all_in
            near_share = (k_around + SHARE_PRIOR * share) / (all_around + SHARE_PRIOR)
            expected = all_in * np.maximum(share, near_share)
            hit = (c >= BURST_FACTOR * expected + MIN_BURST) & (
                _log_tail(c, expected) < log_surprise
            )
            if not hit.any():
                continue
            j, cnt = cand[hit], c[hit]
            np.add.at(cover, j, 1)
            np.add.at(cover, j + cnt, -1)
            np.maximum.at(ratio_at, j, cnt / np.maximum(expected[hit], 0.5))
        flagged = np.cumsum(cover[:-1]) > 0
        if flagged.any():
            idx = np.flatnonzero(flagged)
            gaps = np.flatnonzero(np.diff(idx) > 1) + 1
            for seg in np.split(idx, gaps):
                ratio = float(ratio_at[seg].max())
                seg = _core(seg, kt)
                # its share predicts some of these anyway: the burst is the shortest run
                # that holds the rest (not the hours around that a long window swept in)
                all_in = pos[seg[-1]] - pos[seg[0]] + 1
                expected = all_in * (total_k - seg.size) / max(1, n - all_in)
                keep = max(MIN_BURST, int(math.ceil(seg.size - 0.6 * expected)))
                if keep < seg.size:
                    widths = kt[seg[keep - 1 :]] - kt[seg[: seg.size - keep + 1]]
                    first = int(np.argmin(widths))
                    seg = seg[first : first + keep]
                if seg.size >= MIN_BURST:
                    out.append((tl.order[pos[seg]], ratio))
    return out


def _core(seg: np.ndarray, kt: np.ndarray) -> np.ndarray:
    """The dense part of a burst: its ends lose the signatures that only the window's length
    swept in (a gap much longer than the burst's typical gap)."""
    while seg.size >= MIN_BURST:
        gaps = np.diff(kt[seg])
        limit = max(30.0, 3 * float(np.median(gaps)))
        if gaps[0] > limit:
            seg = seg[1:]
        elif gaps[-1] > limit:
            seg = seg[:-1]
        else:
            break
    return seg


def _regular(times: np.ndarray) -> bool:
    """Arrivals too regular for people: most gaps within a quarter of their median (people's
    gaps are spread like an exponential's: about one in six lands there), or a small
    coefficient of variation."""
    gaps = np.diff(np.sort(times))
    if gaps.size < PERIOD_MIN_STEPS - 1:
        return False
    med = float(np.median(gaps))
    if med <= 0:
        return False
    if float((np.abs(gaps - med) <= 0.25 * med).mean()) >= 0.6:
        return True
    return float(gaps.std() / gaps.mean()) < 0.35


def _distinct(values: np.ndarray) -> int:
    return int(np.unique(values).size)


def _looks_generated(f: Features, seg: np.ndarray) -> np.ndarray:
    """Per signature of a burst: its address or name looks generated, and is not one of an
    institution's numbered addresses (``s2034567@uni.example``: one shape at one small domain,
    three times or more in the burst; a script's own small domain is the domain rule's)."""
    gen = f.generated[seg] >= GENERATED
    tmpl = f.template[seg]
    shaped = gen & (tmpl != 0)
    if shaped.sum() >= 3:
        values, counts = np.unique(tmpl[shaped], return_counts=True)
        scheme = values[counts >= 3]
        if scheme.size:
            gen &= ~np.isin(tmpl, scheme)
    return gen


def _machine_evidence(f: Features, seg: np.ndarray, rule: str, ua_norm: float) -> list[str]:
    """Reasons to believe a burst is a program, not people (see the module docstring)."""
    reasons = []
    n = seg.size
    if rule != "generated" and _looks_generated(f, seg).mean() >= 0.4:
        reasons.append("generated addresses or names")
    ips = f.ip[seg]
    with_ip = ips[ips != 0]
    spread = with_ip.size >= 0.5 * n and _distinct(with_ip) >= SPREAD * n
    if rule != "ua" and n >= 10 and spread:
        _, counts = np.unique(f.ua[seg], return_counts=True)
        top = counts.max() / n
        if top >= 0.85 and top > 3 * ua_norm:
            reasons.append("one user agent")
    in_time = seg[np.argsort(f.t[seg], kind="stable")]
    times = f.t[in_time]
    if n >= PERIOD_MIN_STEPS and _regular(times):
        reasons.append("regular arrivals")
    if rule in ("net", "wide") and n >= 10:
        walk = f.ip[in_time]
        steps = np.abs(np.diff(walk))
        if _distinct(walk) > 0.8 * n and (steps <= 4).mean() >= 0.5:
            reasons.append("addresses walked through a range")
    span = float(times[-1] - times[0])
    if rule == "ip" and n >= 20 and n / max(span / 60.0, 1.0) > PER_MINUTE_ONE_ADDRESS:
        _, counts = np.unique(f.ua[seg], return_counts=True)
        top = counts.max() / n
        if top >= 0.85 and top > 1.5 * ua_norm:  # one device; a crowd has many browsers
            reasons.append("too many a minute for one address")
    return reasons


def _far_beyond(f: Features, seg: np.ndarray, rule: str, ratio: float,
                known: np.ndarray) -> bool:  # fmt: skip
    """A network, a domain or a browser build far beyond its share, new, and spread over many
    unrelated addresses (networks): no crowd of people does that. An office or a campus
    signing after an e-mail comes through its one or two addresses."""
    if rule not in ("net", "wide", "domain", "ua") or ratio < FAR_BEYOND:
        return False
    if known[seg].mean() >= 0.2:
        return False
    n = seg.size
    ips = f.ip[seg]
    with_ip = ips[ips != 0]
    if rule in ("net", "wide"):
        distinct = _distinct(with_ip) / n
        return (
            n >= FAR_BEYOND_SIZE
            and distinct >= SPREAD
            or (n >= FAR_BEYOND_SPREAD and distinct >= 0.8)
        )
    if n < FAR_BEYOND_SIZE:
        return False
    if with_ip.size < 0.5 * n:
        return rule == "ua"  # a burst of one browser build without addresses
    return _distinct(f.net[seg][ips != 0]) >= FAR_SPREAD * n


def _surge(size: int, ratio: float) -> bool:
    """A region far beyond its share (at that time of day), or beyond it by many more
    signatures than a class, an office or a family brings together: the fewer times beyond,
    the more signatures it takes."""
    excess = size * (1.0 - 1.0 / max(ratio, 1.0))
    return (ratio >= REGION_SURGE and size >= FAR_BEYOND_SIZE) or (
        ratio >= REGION_RISE and excess * (ratio - 1.0) >= REGION_EXCESS
    )


def _mailboxes(f: Features) -> np.ndarray:
    """Positions of signatures whose mailbox appears under MAILBOX_SPELLINGS spellings."""
    pos = np.flatnonzero(f.mailbox != 0)
    if pos.size < MAILBOX_SPELLINGS:
        return np.zeros(0, dtype=np.int64)
    # the mailboxes of more than one row, then their spellings
    boxes, counts = np.unique(f.mailbox[pos], return_counts=True)
    pos = pos[np.isin(f.mailbox[pos], boxes[counts >= MAILBOX_SPELLINGS])]
    if pos.size == 0:
        return pos
    order = np.lexsort((f.spelling[pos], f.mailbox[pos]))
    mb, sp = f.mailbox[pos][order], f.spelling[pos][order]
    new_pair = np.concatenate([[True], (mb[1:] != mb[:-1]) | (sp[1:] != sp[:-1])])
    new_box = np.concatenate([[True], mb[1:] != mb[:-1]])
    spellings = np.add.reduceat(new_pair.astype(np.int64), np.flatnonzero(new_box))
    many = mb[new_box][spellings >= MAILBOX_SPELLINGS]
    return pos[np.isin(f.mailbox[pos], many)]


def _periodic(f: Features, tl: _Timeline) -> list[np.ndarray]:
    """Chains of signatures whose successive gaps repeat one period while the traffic around
    them is sparse enough for that to be no accident."""
    n = len(f)
    if n < PERIOD_MIN_STEPS * 2:
        return []
    ts = tl.ts
    out: list[np.ndarray] = []
    # candidate periods: lengths of the gaps between any two signatures (the autocorrelation
    # of the arrivals, second by second) that stand out in a few hours: a script runs for
    # hours, not for the whole data set, and counted over everything its gaps drown in
    # people's; people's gaps are smooth in length
    # (by whole seconds for scripts with some jitter, by tenths of a second up to ten
    # minutes for clockwork ones, whose exactness is evidence even where people are dense)
    block = ((ts - ts[0]) // PERIOD_BLOCK).astype(np.int64)
    blocks = int(block[-1]) + 1
    if blocks > PERIOD_MAX_BLOCKS:  # times in mixed units (seconds and dates): no rhythm to read
        return out
    wanted: dict[tuple[float, float], set[int]] = {}  # (period, tolerance) -> blocks
    per_block = np.bincount(block, minlength=blocks).astype(np.float64)
    for res, max_lag, tols in (
        (1.0, PERIOD_MAX, (PERIOD_TOL, None)),
        (PERIOD_FINE, PERIOD_FINE_MAX, (PERIOD_FINE_TOL,)),
    ):
        counts = _gap_counts(ts - ts[0], blocks, res, max_lag)
        for span in PERIOD_SPANS:  # the blocks in a few hours, in half a day
            window = counts.copy()
            rows = per_block.copy()
            for j in range(1, span):
                window[:-j] += counts[j:]
                rows[:-j] += per_block[j:]
            # where people alone sign so often that someone is always within the tolerance
            # of one period later, a chain of periodic steps is no evidence: not looked for
            sparse = rows / (span * PERIOD_BLOCK) * 2 * tols[0] < 1.0
            peaks = [
                (score, q + c0, period)
                for c0 in range(0, blocks, 256)  # a few hundred blocks at a time: memory
                for score, q, period in _peaks(window[c0 : c0 + 256], sparse[c0 : c0 + 256], res)
            ]
            for _score, q, period in peaks:
                for tol in tols:
                    tol = tol or max(PERIOD_TOL, PERIOD_JITTER * period)
                    key = (round(period, 1 if res >= 1 else 2), tol)
                    wanted.setdefault(key, set()).update(range(q, q + span))
    # signatures a second around each one: how likely an accidental "next step" is
    density = (np.searchsorted(ts, ts + 300, side="left")
               - np.searchsorted(ts, ts - 300, side="left")) / 600.0  # fmt: skip
    taken = np.zeros(n, dtype=bool)
    # one chance in a thousand that any chain of people anywhere, for any period and
    # tolerance tried, passes
    enough = math.log(1e-3 / n / max(1, len(wanted)))
    for period, tol in sorted(wanted):  # a period before its multiples
        quarters = np.zeros(blocks, dtype=bool)
        quarters[[q for q in wanted[period, tol] if 0 <= q < blocks]] = True
        cuts = np.flatnonzero(np.diff(np.concatenate([[0], quarters.astype(np.int8), [0]])))
        for q0, q1 in zip(cuts[::2].tolist(), cuts[1::2].tolist(), strict=True):
            lo = int(np.searchsorted(block, q0, side="left"))
            hi = int(np.searchsorted(block, q1, side="left"))
            # pieces of one chain that people's signatures cut (one of them sat nearer one
            # period later and ended a piece): the next piece starts in step, a period before
            # the end of the other (its cut) or a few after
            pieces: list[list[np.ndarray]] = []
            for chain in sorted(_chains(ts[lo:hi], float(period), tol, taken[lo:hi]),
                                key=lambda c: float(ts[lo + c[0]])):  # fmt: skip
                if pieces:
                    gap = float(ts[lo + chain[0]] - ts[lo + pieces[-1][-1][-1]])
                    k = round(gap / period)
                    if -1 <= k <= 3 and abs(gap - k * period) <= tol * max(1, abs(k)):
                        pieces[-1].append(chain)
                        continue
                pieces.append([chain])
            for group in pieces:
                # each step: the chance that someone signs by accident within the
                # tolerance of one period later
                chance = sum(
                    np.log(np.minimum(1.0, density[c[:-1] + lo] * 2 * tol)).sum() for c in group
                )
                if float(chance) < enough:
                    members = np.concatenate(group) + lo
                    taken[members] = True
                    out.append(tl.order[members])
    return out


def _gap_counts(t: np.ndarray, blocks: int, res: float, max_lag: float) -> np.ndarray:
    """Per block of PERIOD_BLOCK seconds, the number of pairs of signatures (the first in the
    block) whose times (sorted) differ by 0 .. max_lag seconds, in bins of ``res`` seconds, by
    FFT; a few blocks at a time (bounded memory over a year of signatures)."""
    size = int(round(PERIOD_BLOCK / res))
    lags = int(round(max_lag / res))
    fft_n = 1 << int(math.ceil(math.log2(size + 2 * lags + 2)))
    bins = np.floor(t / res).astype(np.int64)
    out = np.zeros((blocks, lags + 1), dtype=np.float32)
    ahead = int((np.searchsorted(bins, bins + lags, side="right") - np.arange(bins.size)).max())
    if ahead * bins.size <= DIRECT_PAIRS:  # few signatures within reach: the pairs themselves
        block = bins // size
        flat = out.reshape(-1)
        batch: list[np.ndarray] = []
        pending = 0
        for k in range(1, ahead):
            d = bins[k:] - bins[:-k]
            keep = np.flatnonzero(d <= lags)
            batch.append(block[keep] * (lags + 1) + d[keep])
            pending += keep.size
            if pending > 1 << 22 or k == ahead - 1:
                flat += np.bincount(np.concatenate(batch), minlength=flat.size)
                batch, pending = [], 0
        out[:, 0] = out[:, 1]
        return out
    step = max(1, (1 << 19) // fft_n)
    for b0 in range(0, blocks, step):
        b1 = min(blocks, b0 + step)
        lo, hi = np.searchsorted(bins, [b0 * size, b1 * size + lags + 1], side="left")
        local = np.bincount(bins[lo:hi] - b0 * size, minlength=(b1 - b0) * size + lags + 1)
        head = np.zeros((b1 - b0, fft_n))
        both = np.zeros((b1 - b0, fft_n))
        for j in range(b1 - b0):
            head[j, :size] = local[j * size : (j + 1) * size]
            tail = local[j * size : (j + 1) * size + lags + 1]
            both[j, : tail.size] = tail
        # pairs (i in the block, j after it): correlation of the block with itself and on
        corr = np.fft.irfft(np.conj(np.fft.rfft(head, axis=1)) * np.fft.rfft(both, axis=1),
                            n=fft_n, axis=1)  # fmt: skip
        out[b0:b1] = np.maximum(np.round(corr[:, : lags + 1]), 0.0)
    out[:, 0] = out[:, 1]  # a signature and itself are no gap
    return out


def _peaks(counts: np.ndarray, sparse: np.ndarray, res: float) -> list[tuple[float, int, float]]:
    """(score, block, period) where a block's count of gaps of one length stands out of the
    lengths around it (people's gaps are smooth in length); a little jitter spreads a period
    over neighbouring seconds."""
    near = counts[:, :-2] + counts[:, 1:-1] + counts[:, 2:]  # centred on 1 .. PERIOD_MAX-1
    # the expected count: a parabola through the seconds on both sides (4-7 s and 8-12 s
    # away), not the peak itself; people's gaps curve, most at a few seconds
    padded = np.pad(near, ((0, 0), (12, 12)), mode="edge")
    width = near.shape[1]

    def ring(ds: range) -> np.ndarray:
        return sum(padded[:, 12 + d : 12 + d + width] + padded[:, 12 - d : 12 - d + width]
                   for d in ds) / (2 * len(ds))  # fmt: skip

    inner, outer = ring(range(4, 8)), ring(range(8, 13))
    baseline = np.maximum(inner - 31.5 * (outer - inner) / (102.0 - 31.5), 0.0)
    resid = near - baseline
    # pairs come in lumps (a burst pairs all its signatures): the noise of each few hours
    # is measured there, not assumed Poisson
    spread = 1.4826 * np.median(np.abs(resid[:, int(PERIOD_MIN / res) :]), axis=1, keepdims=True)
    score = resid / np.maximum(np.sqrt(baseline + 1), spread)
    score[:, : int(PERIOD_MIN / res) - 1] = 0
    score[~sparse] = 0
    edge = np.pad(score, ((0, 0), (2, 2)), mode="constant", constant_values=-np.inf)
    peak = score > PERIOD_Z
    for d in (-2, -1, 1, 2):  # one candidate per peak, not its shoulders
        peak &= score >= edge[:, 2 + d : 2 + d + score.shape[1]]
    qs, ps = np.nonzero(peak)
    out: list[tuple[float, int, float]] = []
    chosen: dict[int, list[float]] = {}
    for j in np.argsort(-score[qs, ps], kind="stable").tolist():
        q, p = int(qs[j]), int(ps[j])
        if len(chosen.get(q, [])) >= PERIOD_CANDIDATES:
            continue
        # the period to a fraction of a second: the centre of the excess in its three seconds
        excess = np.maximum(counts[q, p : p + 3] - baseline[q, p] / 3, 0.0)
        centre = float((excess * np.arange(-1, 2)).sum() / max(excess.sum(), 1e-9))
        period = (p + 1 + centre) * res
        # a periodic script's gaps come at every multiple of its period: one candidate
        if any(abs(period - k * round(period / k)) <= 2 for k in chosen.get(q, [])):
            continue
        chosen.setdefault(q, []).append(period)
        out.append((float(score[q, p]), q, period))

    return out


def _chains(ts: np.ndarray, period: float, tol: float, taken: np.ndarray) -> list[np.ndarray]:
    """Chains (indices into ``ts``) of PERIOD_MIN_STEPS or more rows, each one ``period``
    (within a tolerance) after the one before, none ``taken``."""
    n = ts.size
    if n < PERIOD_MIN_STEPS:
        return []
    arange = np.arange(n)
    first = np.searchsorted(ts, ts + period - tol, side="left")
    last = np.searchsorted(ts, ts + period + tol, side="right")
    has_next = last > first  # someone about one period later
    succ = np.full(n, -1, dtype=np.int64)
    best = np.full(n, np.inf)
    at = np.searchsorted(ts, ts + period, side="left")
    for k in (-2, -1, 0, 1):  # around exactly one period later: one that goes on, closest
        cand = at + k
        ok = (cand >= first) & (cand < last)
        off = np.full(n, np.inf)
        off[ok] = np.abs(ts[cand[ok]] - ts[arange[ok]] - period)
        off[ok] += np.where(has_next[cand[ok]], 0.0, tol)  # prefer one with a next step
        better = ok & (off < best)
        succ[better] = cand[better]
        best[better] = off[better]
    # two rows leading to one: the one in a chain, closer to exactly one period, keeps it
    # (chains of people drifting into a wave do not cut it)
    src = np.flatnonzero(succ >= 0)
    led = np.zeros(n, dtype=bool)
    led[succ[src]] = True
    src = src[np.argsort(best[src] + np.where(led[src], 0.0, tol), kind="stable")]
    _, first_src = np.unique(succ[src], return_index=True)
    keep = np.zeros(n, dtype=bool)
    keep[src[first_src]] = True
    succ[~keep] = -1
    has_pred = np.zeros(n, dtype=bool)
    has_pred[succ[succ >= 0]] = True
    heads = np.flatnonzero((succ >= 0) & ~has_pred & ~taken)
    ahead = heads.copy()  # only chains long enough are walked one by one
    for _ in range(PERIOD_MIN_STEPS - 2):
        ahead = succ[ahead]
        alive = ahead >= 0
        heads, ahead = heads[alive], ahead[alive]
    out = []
    used = taken.copy()
    for h in heads.tolist():
        members = [h]
        i = int(succ[h])
        while i >= 0 and not used[i] and len(members) < n:
            members.append(i)
            i = int(succ[i])
        if len(members) >= PERIOD_MIN_STEPS:
            used[members] = True
            out.append(np.array(members, dtype=np.int64))
    return out


def find_waves(f: Features) -> list[Wave]:
    """Every wave the rules find (a signature may be in several)."""
    waves: list[Wave] = []
    if len(f) == 0:
        return waves
    tl = _timeline(f.t)
    has_ip = f.ip != 0
    ua_counts = np.bincount(f.ua)
    ua_norm = float(ua_counts.max() / len(f))
    everyone = np.ones(len(f), dtype=bool)
    generated = f.generated >= GENERATED
    cohorts = {
        "ip": (f.ip, has_ip),
        "net": (f.net, has_ip),
        "wide": (f.wide, has_ip),
        "domain": (f.domain, ~f.big_domain),
        "ua": (f.ua, everyone),
        "region": (f.region, everyone),
        "generated": (generated.astype(np.int64), generated),
    }
    known = _established(f)
    for rule, (keys, eligible) in cohorts.items():
        for seg, ratio in _bursts(keys, tl, eligible):
            reasons = _machine_evidence(f, seg, rule, ua_norm)
            if rule == "region" and _surge(seg.size, ratio):
                reasons.append("sudden regional surge")
            elif _far_beyond(f, seg, rule, ratio, known):
                reasons.append("far beyond its share of the traffic")
            if rule == "generated":
                seg = seg[_looks_generated(f, seg)]
                if seg.size < MIN_BURST:
                    continue
                reasons.append("burst of generated addresses or names")
            if reasons:
                waves.append(Wave(rule, seg, reasons))
    boxes = _mailboxes(f)
    if boxes.size:
        waves.append(Wave("mailbox", boxes, ["one mailbox written many ways"]))
    for seg in _periodic(f, tl):
        waves.append(Wave("period", seg, ["arrivals too regular for people"]))
    # a wave found by what its signatures say (region, domain, browser, addresses, timing)
    # does not take along the people of a known shared address signing at the same time
    for w in waves:
        if w.rule not in ("ip", "net", "wide", "mailbox"):
            w.rows = w.rows[~known[w.rows]]
    return [w for w in waves if w.rows.size]


def _established(f: Features) -> np.ndarray:
    """Per signature: its address signed over at least ``KNOWN_SPAN`` seconds (a carrier CGNAT
    address, a campus or an office: a known shared address). A wave's address is used for the
    wave's few hours only."""
    has_ip = f.ip != 0
    order = np.argsort(f.ip, kind="stable")
    ips = f.ip[order]
    ts = f.t[order]
    starts = np.flatnonzero(np.concatenate([[True], ips[1:] != ips[:-1]]))
    span = np.maximum.reduceat(ts, starts) - np.minimum.reduceat(ts, starts)
    known_ips = ips[starts][span >= KNOWN_SPAN]
    return has_ip & np.isin(f.ip, known_ips)


def flagged(f: Features) -> list[int]:
    """0-based positions of the signatures in any wave."""
    found = [w.rows for w in find_waves(f)]
    if not found:
        return []
    return np.unique(np.concatenate(found)).tolist()  # type: ignore[no-any-return]


def flag_rows(rows: Sequence[Mapping[str, Any]]) -> list[int]:
    """0-based positions of the signatures the platform would hold as suspect."""
    return flagged(features(rows))


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
