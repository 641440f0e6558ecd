"""`participation integrity comments|signatures FILE` on small files."""

from __future__ import annotations

import json
import random
from pathlib import Path

import pytest

from participation.cli import main
from tests.participation.integrity.planted import LETTERS, campaign_copy, planted_signatures


def _write(path: Path, rows: list[dict]) -> Path:  # type: ignore[type-arg]
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), "utf-8")
    return path


def test_comments_command_prints_groups_largest_first(tmp_path: Path,
                                                      capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    rng = random.Random(1)
    rows = [{"id": f"a{i}", "text": campaign_copy(LETTERS["en"][0], "en", "typos", rng),
             "lang": "en", "section": i % 3, "stance": "against"} for i in range(5)]  # fmt: skip
    rows += [{"id": 100 + i, "text": campaign_copy(LETTERS["fa"][0], "fa", "keyboard", rng)}
             for i in range(3)]  # fmt: skip
    rows += [{"id": "x", "text": "I agree."}, {"id": "y", "text": "Who will pay for this?"}]
    assert main(["integrity", "comments", str(_write(tmp_path / "c.jsonl", rows))]) == 0
    out = json.loads(capsys.readouterr().out)
    assert out == {"groups": [[f"a{i}" for i in range(5)], [100, 101, 102]]}


def test_signatures_command_prints_flagged_line_numbers(tmp_path: Path,
                                                        capsys: pytest.CaptureFixture[str]) -> None:  # fmt: skip
    planted = planted_signatures(days=2, per_day=400, seed=3, styles=("one_address",), iso=True)
    path = _write(tmp_path / "s.jsonl", planted.rows)
    assert main(["integrity", "signatures", str(path)]) == 0
    flagged = json.loads(capsys.readouterr().out)["flagged"]
    wave = [i for i, w in enumerate(planted.wave) if w]
    assert set(wave) <= set(flagged) and len(flagged) - len(wave) <= 3


def test_a_bad_line_is_a_clear_error(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"id": 1, "text": "fine"}\nnot json\n', "utf-8")
    assert main(["integrity", "comments", str(path)]) == 2
    assert "line 2" in capsys.readouterr().err
