"""The command line answers bad input with one line and a documented exit code, never a traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from newsfacts.cli import EXIT_ERROR, EXIT_USAGE, main


def test_a_missing_file_is_one_line_and_exit_1(tmp_path: Path, capsys) -> None:
    assert main(["extract", str(tmp_path / "nowhere.txt")]) == EXIT_ERROR
    err = capsys.readouterr().err
    assert err == f"newsfacts extract: {tmp_path / 'nowhere.txt'}: no such file\n"


def test_a_binary_file_is_one_line_and_exit_1(tmp_path: Path, capsys) -> None:
    binary = tmp_path / "photo.jpg"
    binary.write_bytes(b"\xff\xd8\xff\xe0" + bytes(range(256)) * 8)
    assert main(["extract", str(binary)]) == EXIT_ERROR
    assert (
        capsys.readouterr().err == f"newsfacts extract: {binary}: not UTF-8 text (a binary file?)\n"
    )


def test_a_date_that_is_not_iso_is_a_usage_error(tmp_path: Path, capsys) -> None:
    article = tmp_path / "a.txt"
    article.write_text("The US has 2,500 troops in Iraq.", encoding="utf-8")
    with pytest.raises(SystemExit) as stop:
        main(["extract", "--published", "04/03/2025", str(article)])
    assert stop.value.code == EXIT_USAGE
    err = capsys.readouterr().err
    assert "'04/03/2025' is not a date as YYYY-MM-DD" in err
    assert "Traceback" not in err


def test_jsonl_answers_each_bad_line_and_goes_on(tmp_path: Path, capsys) -> None:
    lines = [
        {"id": "a", "text": "The US has 2,500 troops in Iraq.", "lang": "en"},
        {"id": "b", "text": 2500},
        ["not", "an", "object"],
        "{not json",
        {"id": "c", "text": "Troops left yesterday.", "lang": "en", "published": "04/03/2025"},
        {"id": "d", "text": "Russia keeps 1,500 troops in Transnistria.", "lang": "en"},
    ]
    path = tmp_path / "in.jsonl"
    path.write_text(
        "\n".join(line if isinstance(line, str) else json.dumps(line) for line in lines) + "\n",
        encoding="utf-8",
    )
    assert main(["extract", "--jsonl", str(path)]) == 0
    out = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["id"] for r in out] == ["a", "b", None, None, "c", "d"]
    assert [r["troop_counts"][0]["count"] for r in out if r["id"] in {"a", "d"}] == [2500, 1500]
    assert out[1]["error"] == "text must be a string, got int"
    assert out[2]["error"] == "expected a JSON object, got list"
    assert out[3]["error"].startswith("invalid JSON")
    # an unreadable publication date is said on its line; nothing relative is resolved
    assert "not a date as YYYY-MM-DD" in out[4]["warning"] and out[4]["dates"] == []


def test_sql_into_a_closed_pipe_stops_quietly(tmp_path: Path) -> None:
    duckdb.connect(str(tmp_path / "w.duckdb")).close()
    query = "SELECT * FROM range(200000)"
    sql = subprocess.Popen(
        [sys.executable, "-m", "newsfacts.cli", "sql", query, "--home", str(tmp_path),
         "--warehouse", str(tmp_path / "w.duckdb"), "--max-rows", "200000"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )  # fmt: skip
    assert sql.stdout is not None
    sql.stdout.readline()
    sql.stdout.close()  # what `| head -1` does
    _, err = sql.communicate(timeout=60)
    assert b"Traceback" not in err, err.decode()
    assert sql.returncode in {0, EXIT_ERROR}
