"""`participation integrity signatures FILE`: what a line may hold (times in seconds or ISO
8601, IPv4 or IPv6, optional fields missing) and a clear one-line error for a bad line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from participation.cli import main
from tests.participation.integrity.heldout_signatures import heldout_signatures


def _run(path: Path, capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    code = main(["integrity", "signatures", str(path)])
    out, err = capsys.readouterr()
    return code, out, err


GOOD = '{"t": 0, "name": "Ana Silva", "email": "ana@web.de", "region": "north", "ip": "81.2.3.4", "user_agent": "Firefox"}'


@pytest.mark.parametrize(
    ("line", "problem"),
    [
        ("not json at all", "not JSON"),
        ("[1, 2, 3]", "not a JSON object"),
        ('{"name": "Ana Silva", "ip": "81.2.3.4"}', 'no "t"'),
        ('{"t": "yesterday at noon", "ip": "81.2.3.4"}', '"t" is neither'),
        ('{"t": null}', '"t" is neither'),
        ('{"t": true}', '"t" is neither'),
        ('{"t": 12, "ip": "81.2.3.400"}', '"ip"'),
        ('{"t": 12, "ip": "localhost"}', '"ip"'),
    ],
)
def test_a_bad_line_is_one_clear_line_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], line: str, problem: str
) -> None:
    path = tmp_path / "s.jsonl"
    path.write_text(GOOD + "\n" + line + "\n" + GOOD + "\n", "utf-8")
    code, out, err = _run(path, capsys)
    assert code == 2 and out == ""
    assert err.count("\n") == 1 and "line 2" in err and problem in err
    assert "Traceback" not in err


def test_a_bad_line_from_the_command_line_has_no_traceback(tmp_path: Path) -> None:
    path = tmp_path / "s.jsonl"
    path.write_text(GOOD + "\n" + '{"t": "soon"}' + "\n", "utf-8")
    done = subprocess.run(
        [sys.executable, "-m", "participation.cli", "integrity", "signatures", str(path)],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.strip().count("\n") == 0 and "line 2" in done.stderr
    assert "Traceback" not in done.stderr


def test_times_in_seconds_or_iso_ipv4_or_ipv6_and_missing_fields_are_accepted(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = [
        {"t": 0},
        {"t": 1.5, "ip": "2a02:8108:1:2::9"},
        {"t": "30", "ip": "::ffff:81.2.3.4", "name": None, "email": None},
        {"t": "2026-03-01T10:00:00Z", "ip": "81.2.3.4", "user_agent": ""},
        {"t": "2026-03-01T11:00:00+01:00", "region": "north"},
        {"t": "2026-03-01 10:05:00", "email": "ana@web.de"},
    ]
    path = tmp_path / "s.jsonl"
    path.write_text("\n".join(json.dumps(r) for r in lines) + "\n\n", "utf-8")
    code, out, err = _run(path, capsys)
    assert code == 0 and err == ""
    assert json.loads(out) == {"flagged": []}


def test_iso_times_and_seconds_give_the_same_flags_through_the_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    flags = []
    for iso in (False, True):
        planted = heldout_signatures(days=2, per_day=1500, seed=9, iso=iso, wave_size=100,
                                     styles=("botnet_constant", "gmail_variants"))  # fmt: skip
        path = tmp_path / f"s{iso}.jsonl"
        path.write_text("".join(json.dumps(r) + "\n" for r in planted.rows), "utf-8")
        code, out, _err = _run(path, capsys)
        assert code == 0
        flags.append(json.loads(out)["flagged"])
    wave = {i for i, w in enumerate(planted.wave) if w}
    assert flags[0] == flags[1]
    assert len(wave & set(flags[0])) >= 0.95 * len(wave)


def test_line_numbers_count_blank_lines(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    planted = heldout_signatures(days=1, per_day=800, seed=2, styles=("gmail_variants",),
                                 wave_size=30)  # fmt: skip
    body = "".join(json.dumps(r) + "\n" + ("\n" if i == 0 else "") for i, r in
                   enumerate(planted.rows))  # fmt: skip
    path = tmp_path / "s.jsonl"
    path.write_text(body, "utf-8")
    code, out, _err = _run(path, capsys)
    assert code == 0
    wave = {i + 1 for i, w in enumerate(planted.wave) if w}  # one blank line after the first
    assert set(json.loads(out)["flagged"]) == wave
