"""What a folder run prints while it goes on: the progress bar, problem lines, --quiet,
the summary line; and the fast answers of --help and --version."""

from __future__ import annotations

import fcntl
import os
import pty
import re
import struct
import subprocess
import sys
import termios
from importlib.metadata import version
from pathlib import Path

import pytest

from conftest import run_cli
from extract import cli
from extract.models import Issue, ManifestEntry

#: A bar line as tqdm draws it with cli.BAR_FORMAT: percent, bar, files, facts.
BAR_RE = re.compile(r"\d+%\|.*\| \d+/\d+ files, \d+ facts \[")
#: The last line of a folder run.
SUMMARY_RE = re.compile(
    r"^\d+ files: \d+ ok, \d+ skipped, \d+ error; \d+ facts written to .+ in \d+\.\d s$"
)

GOOD = "新增公办学位1.1万个。\n".encode()
#: Three good files, one skipped (empty), one failed (not decodable).
MIXED_FILES = {
    "a.txt": GOOD,
    "b.txt": GOOD,
    "c.txt": GOOD,
    "empty.txt": b"",
    "undecodable.txt": bytes([0x81, 0x7F]) * 50,
}


def make_input(folder: Path, files: dict[str, bytes]) -> Path:
    """Return ``folder`` after writing ``files`` (name → bytes) into it."""
    folder.mkdir(parents=True)
    for name, data in files.items():
        (folder / name).write_bytes(data)
    return folder


def run_on_terminal(*arguments: str | Path) -> tuple[int, str]:
    """Return the exit code and terminal output of ``python -m extract ARGUMENTS`` on a pty."""
    controller, terminal = pty.openpty()
    # A new pty has 0 columns, into which tqdm draws nothing; give it a real width.
    fcntl.ioctl(terminal, termios.TIOCSWINSZ, struct.pack("HHHH", 24, 100, 0, 0))
    process = subprocess.Popen(
        [sys.executable, "-m", "extract", *map(str, arguments)],
        stdin=subprocess.DEVNULL,
        stdout=terminal,
        stderr=terminal,
    )
    os.close(terminal)
    output = b""
    while True:
        try:
            chunk = os.read(controller, 4096)
        except OSError:  # EIO: the process closed its end
            break
        if not chunk:
            break
        output += chunk
    os.close(controller)
    return process.wait(timeout=120), output.decode("utf-8", errors="replace")


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
def test_bar_is_drawn_on_a_real_terminal_then_replaced_by_the_summary(tmp_path: Path) -> None:
    input_dir = make_input(tmp_path / "in", {"a.txt": GOOD, "b.txt": GOOD, "c.txt": GOOD})
    code, output = run_on_terminal(input_dir, tmp_path / "out")
    assert code == cli.EXIT_OK, output
    assert BAR_RE.search(output), output
    # tqdm redraws at most 10 times a second, so only the first drawing is certain.
    assert "0/3 files, 0 facts" in output, output
    last_line = output.replace("\r\n", "\n").split("\r")[-1].strip()
    assert SUMMARY_RE.match(last_line), output


def test_no_bar_when_stderr_is_a_pipe(tmp_path: Path) -> None:
    input_dir = make_input(tmp_path / "in", MIXED_FILES)
    process = run_cli(input_dir, tmp_path / "out")
    assert "\r" not in process.stderr
    lines = process.stderr.splitlines()
    assert lines[:2] == [
        "skipped: empty.txt: empty file",
        "error: undecodable.txt: not UTF-8, UTF-16, GB18030 or Big5",
    ]
    assert len(lines) == 3 and SUMMARY_RE.match(lines[2]), process.stderr


# ------------------------------------------------------------------ in-process, terminal forced


@pytest.mark.parametrize(
    ("files", "terminal", "options", "bar", "expected_lines"),
    [
        pytest.param(
            MIXED_FILES,
            True,
            [],
            True,
            ["skipped: empty.txt: empty file", "error: undecodable.txt: not UTF-8"],
            id="terminal-shows-bar-and-problem-lines",
        ),
        pytest.param(
            MIXED_FILES,
            False,
            [],
            False,
            ["skipped: empty.txt: empty file", "error: undecodable.txt: not UTF-8"],
            id="pipe-shows-problem-lines-only",
        ),
        pytest.param({"a.txt": GOOD}, True, [], False, [], id="one-file-no-bar"),
        pytest.param(
            MIXED_FILES,
            True,
            ["--quiet"],
            False,
            ["error: undecodable.txt: not UTF-8"],
            id="quiet-shows-errors-only",
        ),
    ],
)
def test_what_a_run_shows(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    files: dict[str, bytes],
    terminal: bool,
    options: list[str],
    bar: bool,
    expected_lines: list[str],
) -> None:
    monkeypatch.setattr(cli, "_stderr_is_terminal", lambda: terminal)
    input_dir = make_input(tmp_path / "in", files)
    cli.main([str(input_dir), str(tmp_path / "out"), "-j", "1", *options])
    stderr = capsys.readouterr().err
    assert bool(BAR_RE.search(stderr)) == bar, stderr
    for expected in expected_lines:
        assert any(line.startswith(expected) for line in stderr.splitlines()), stderr
    if "--quiet" in options:
        assert "skipped:" not in stderr
    last_line = stderr.replace("\r\n", "\n").split("\r")[-1].strip().splitlines()[-1]
    assert SUMMARY_RE.match(last_line), stderr


@pytest.mark.parametrize("terminal", [True, False], ids=["terminal", "pipe"])
def test_quiet_run_with_every_file_ok_prints_nothing(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    terminal: bool,
) -> None:
    monkeypatch.setattr(cli, "_stderr_is_terminal", lambda: terminal)
    input_dir = make_input(tmp_path / "in", {"a.txt": GOOD, "b.txt": GOOD})
    code = cli.main([str(input_dir), str(tmp_path / "out"), "-j", "1", "-q"])
    assert code == cli.EXIT_OK
    assert capsys.readouterr().err == ""


def test_quiet_still_reports_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = cli.main([str(tmp_path / "missing"), str(tmp_path / "out"), "-q"])
    assert code == cli.EXIT_USAGE
    assert capsys.readouterr().err.startswith("error: ")


# ------------------------------------------------------------------ the lines themselves


REPAIR = Issue(stage="read", reason="removed 1 stray NUL byte")


@pytest.mark.parametrize(
    ("entry", "quiet", "expected"),
    [
        pytest.param(
            ManifestEntry(path="a.txt", doc_id="a", status="ok", facts=3), False, [], id="ok"
        ),
        pytest.param(
            ManifestEntry(path="e.txt", doc_id="e", status="skipped", reason="empty file"),
            False,
            ["skipped: e.txt: empty file"],
            id="skipped",
        ),
        pytest.param(
            ManifestEntry(path="n.txt", doc_id="n", status="ok", issues=[REPAIR]),
            False,
            ["repaired: n.txt: removed 1 stray NUL byte"],
            id="repaired",
        ),
        pytest.param(
            ManifestEntry(path="u.txt", doc_id="u", status="error", reason="not UTF-8"),
            False,
            ["error: u.txt: not UTF-8"],
            id="error",
        ),
        pytest.param(
            ManifestEntry(path="e.txt", doc_id="e", status="skipped", reason="empty file"),
            True,
            [],
            id="quiet-hides-skipped",
        ),
        pytest.param(
            ManifestEntry(path="n.txt", doc_id="n", status="ok", issues=[REPAIR]),
            True,
            [],
            id="quiet-hides-repaired",
        ),
        pytest.param(
            ManifestEntry(path="u.txt", doc_id="u", status="error", reason="not UTF-8"),
            True,
            ["error: u.txt: not UTF-8"],
            id="quiet-keeps-error",
        ),
    ],
)
def test_entry_lines(entry: ManifestEntry, quiet: bool, expected: list[str]) -> None:
    assert cli.format_entry_lines(entry, quiet=quiet) == expected


def test_summary_line_gives_counts_facts_folder_and_seconds() -> None:
    totals = {"files": 260, "ok": 258, "skipped": 1, "error": 1, "facts": 20215}
    line = cli.format_summary(totals, output_dir=Path("output"), seconds=12.345)
    assert line == "260 files: 258 ok, 1 skipped, 1 error; 20215 facts written to output in 12.3 s"


# ------------------------------------------------------------------ --help and --version


@pytest.mark.parametrize("option", ["--version", "--help"])
def test_help_and_version_answer_without_loading_the_extractor(option: str) -> None:
    process = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "extract", option],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
        timeout=60,
        check=False,
    )
    assert process.returncode == 0, process.stderr
    imported = {line.split("|")[-1].strip() for line in process.stderr.splitlines()}
    assert imported, "no -X importtime report"
    assert not imported & {"jieba", "pandas", "pydantic", "tqdm"}
    if option == "--version":
        assert process.stdout == f"extract {version('extract')}\n"


def test_help_shows_examples_and_the_other_commands(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        cli.main(["--help"])
    assert exit_.value.code == 0
    help_text = capsys.readouterr().out
    for expected in [
        "examples:",
        "extract raw/ output/",
        "extract - -",
        "extract eval OUTPUT_DIR [GOLD_DIR] [--panel GOLD_PANEL_DIR]",
        "extract explain FILE",
        "--quiet",
        "--version",
        "exit codes:",
    ]:
        assert expected in help_text
