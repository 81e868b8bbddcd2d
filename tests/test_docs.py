"""The README says what the code does: its commands, exit codes and CI command agree."""

from __future__ import annotations

import doctest
import re
from pathlib import Path

import pytest

from extract import cli

REPOSITORY = Path(__file__).resolve().parents[1]
README = (REPOSITORY / "README.md").read_text(encoding="utf-8")
FIRST_BLOCKS = re.findall(r"```sh\n(.*?)\n```", README, flags=re.DOTALL)[:2]


def test_readme_starts_with_the_run_and_test_commands() -> None:
    before_first_block = README.split("```", 1)[0]
    assert len(before_first_block.splitlines()) <= 4, "the commands come first"
    run, test = FIRST_BLOCKS
    assert run.startswith("python3 -m venv .venv && ")
    assert run.endswith("-m extract raw/ output/")
    assert test.startswith("python3 -m venv .venv && ")
    assert "pip install -e '.[test]'" in test


def test_ci_runs_the_readme_test_command() -> None:
    test_command = FIRST_BLOCKS[1].split(" && ")[-1]
    ci_lines = (REPOSITORY / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    assert test_command in ci_lines
    assert "set -euo pipefail" in ci_lines


@pytest.mark.parametrize(
    "code",
    [
        pytest.param(cli.EXIT_OK, id="ok"),
        pytest.param(cli.EXIT_SOME_FILES_NOT_OK, id="some-files-not-ok"),
        pytest.param(cli.EXIT_USAGE, id="usage"),
        pytest.param(cli.EXIT_WRITE_FAILED, id="write-failed"),
        pytest.param(cli.EXIT_INTERRUPTED, id="interrupted"),
    ],
)
def test_every_exit_code_is_documented(code: int) -> None:
    assert re.search(rf"^\| {code} \| ", README, flags=re.MULTILINE)


def test_readme_python_example_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPOSITORY)  # the example names raw/ and examples/ relative to it
    section = README.split("## Using it from Python", 1)[1]
    example = re.search(r"```python\n(.*?)```", section, flags=re.DOTALL)
    assert example is not None
    test = doctest.DocTestParser().get_doctest(example.group(1), {}, "README", "README.md", 0)
    report: list[str] = []
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    runner.run(test, out=report.append)
    assert runner.tries > 0
    assert runner.failures == 0, "".join(report)
