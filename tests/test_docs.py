"""The README and docs/ say what the code does: commands, exit codes, formats, columns, examples."""

from __future__ import annotations

import doctest
import re
import shlex
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from extract import cli
from extract.schema import FACTS_CSV_DTYPES, fact_columns
from extract.write import FORMATS

REPOSITORY = Path(__file__).resolve().parents[1]
DOCS = REPOSITORY / "docs"
README = (REPOSITORY / "README.md").read_text(encoding="utf-8")
FIRST_BLOCKS = re.findall(r"```sh\n(.*?)\n```", README, flags=re.DOTALL)[:2]
#: The pages of docs/, by file name.
PAGES = {path.name: path.read_text(encoding="utf-8") for path in sorted(DOCS.glob("*.md"))}
#: The README is a page, not a manual: it must fit on two screens.
README_MAX_BYTES = 8_000
#: Markdown links and images: [text](target) and ![alt](target).
LINK_RE = re.compile(r"!?\[[^\]]*\]\(([^)\s]+)\)")
#: A ```console block: `$ command` lines, each followed by the output it prints.
CONSOLE_RE = re.compile(r"```console\n(.*?)```", flags=re.DOTALL)
#: The seconds of a run's summary line, which no two runs share.
SECONDS_RE = re.compile(r" in [0-9]+\.[0-9] s$", flags=re.MULTILINE)


def format_names() -> list[str]:
    """Return the names ``--format`` accepts, from the writer's registry."""
    return sorted(FORMATS)


def fact_column_names() -> list[str]:
    """Return the columns of the fact files, in order, from the code that writes them."""
    return [column.name for column in fact_columns()]


def section(text: str, heading: str) -> str:
    """Return the part of ``text`` under ``heading``, up to the next heading of its level."""
    level = heading.split(" ", 1)[0]
    after = text.split(f"\n{heading}\n", 1)[1]
    return re.split(rf"\n{level} ", after, maxsplit=1)[0]


def slug(heading: str) -> str:
    """Return the anchor GitHub gives a heading: ``Big runs`` → ``big-runs``."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def console_examples() -> list[Any]:
    """Return a pytest.param per ``$`` command of the console blocks of docs/, with its output."""
    examples = []
    for page, text in PAGES.items():
        chunks = [
            chunk
            for block in CONSOLE_RE.findall(text)
            for chunk in re.split(r"^\$ ", block, flags=re.MULTILINE)[1:]
        ]
        for number, chunk in enumerate(chunks, start=1):
            command, _, output = chunk.partition("\n")
            examples.append(pytest.param(command, output, id=f"{page}-{number}"))
    return examples


CONSOLE_EXAMPLES = console_examples()


def test_readme_starts_with_the_run_and_test_commands() -> None:
    before_first_block = README.split("```", 1)[0]
    assert "\n## " not in before_first_block, "the commands come before any section"
    assert len(before_first_block.splitlines()) <= 12, "a short introduction, then the commands"
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


def test_readme_fits_on_two_screens() -> None:
    assert len(README.encode("utf-8")) < README_MAX_BYTES


@pytest.mark.parametrize("page", sorted(PAGES))
def test_every_docs_page_is_linked_from_the_readme(page: str) -> None:
    assert f"](docs/{page})" in README


@pytest.mark.parametrize(
    ("source", "text"),
    [pytest.param("README.md", README, id="README.md")]
    + [pytest.param(f"docs/{page}", text, id=page) for page, text in PAGES.items()],
)
def test_relative_links_lead_to_files_and_headings(source: str, text: str) -> None:
    folder = (REPOSITORY / source).parent
    for target in LINK_RE.findall(text):
        if re.match(r"[a-z]+:", target):
            continue  # a web address
        path, _, anchor = target.partition("#")
        linked = (folder / path) if path else REPOSITORY / source
        assert linked.exists(), f"{source}: {target}"
        if anchor:
            headings = re.findall(r"^#+ (.+)$", linked.read_text(encoding="utf-8"), re.MULTILINE)
            assert anchor in {slug(heading) for heading in headings}, f"{source}: {target}"


@pytest.mark.parametrize(
    "code",
    [
        pytest.param(cli.EXIT_OK, id="ok"),
        pytest.param(cli.EXIT_SOME_FILES_NOT_OK, id="some-files-not-ok"),
        pytest.param(cli.EXIT_USAGE, id="usage"),
        pytest.param(cli.EXIT_WRITE_FAILED, id="write-failed"),
        pytest.param(cli.EXIT_CLUSTER_LOST, id="cluster-lost"),
        pytest.param(cli.EXIT_INTERRUPTED, id="interrupted"),
    ],
)
def test_every_exit_code_is_documented(code: int) -> None:
    exit_codes = section(PAGES["cli.md"], "## Exit codes")
    assert re.search(rf"^\| {code} \| ", exit_codes, flags=re.MULTILINE)


@pytest.mark.parametrize("command", ["run", "stdin", "explain", "eval"])
def test_every_command_is_in_the_cli_grammar(command: str) -> None:
    grammar = re.search(r"```sh\n(.*?)```", PAGES["cli.md"], flags=re.DOTALL)
    assert grammar is not None
    assert re.search(rf"^extract \[?{command}\b", grammar.group(1), flags=re.MULTILINE)


#: The parsers of the CLI's commands, by the names cli.py gives them (some exist only
#: before or after the split into subcommands; each that exists is checked).
PARSER_FACTORIES = (
    "_extract_parser",
    "_run_parser",
    "_stdin_parser",
    "_explain_parser",
    "_eval_parser",
)


def cli_options() -> list[str]:
    """Return every long option the help of a command names, such as ``--incremental``."""
    factories = [getattr(cli, name) for name in PARSER_FACTORIES if hasattr(cli, name)]
    assert factories, "cli.py has none of the parsers this test knows"
    help_texts = " ".join(factory().format_help() for factory in factories)
    return sorted(set(re.findall(r"(?<![\w-])--[a-z][a-z-]*[a-z]", help_texts)))


@pytest.mark.parametrize("option", cli_options())
def test_every_cli_option_is_documented(option: str) -> None:
    assert option in PAGES["cli.md"] + PAGES["explain-and-eval.md"]


@pytest.mark.parametrize("name", format_names())
def test_every_format_is_documented(name: str) -> None:
    assert re.search(rf"^\| `{name}` \| `facts\.", PAGES["outputs.md"], flags=re.MULTILINE)
    assert f"`{name}`" in section(PAGES["cli.md"], "## `extract run`: a folder of reports")


def test_fact_columns_are_documented_in_order_with_their_dtypes() -> None:
    dtypes = FACTS_CSV_DTYPES
    columns = section(PAGES["outputs.md"], "## The columns of the fact files")
    documented = re.findall(r"^\| `(\w+)` \| `(\w+)` \|", columns, flags=re.MULTILINE)
    assert documented == [(name, dtypes[name]) for name in fact_column_names()]


@pytest.mark.parametrize("name", fact_column_names())
def test_every_fact_field_is_defined_in_facts_md(name: str) -> None:
    fields = section(PAGES["facts.md"], "## Fields")
    assert re.search(rf"^\| (`\w+`, )*`{name}`(, `\w+`)* \|", fields, flags=re.MULTILINE)


def test_docs_have_console_examples() -> None:
    commands = [example.values[0] for example in CONSOLE_EXAMPLES]
    assert any(" - -" in command for command in commands), "a stdin example"
    assert any("extract raw/" in command for command in commands), "a folder run on raw/"


@pytest.mark.parametrize(("command", "shown"), CONSOLE_EXAMPLES)
def test_console_example_prints_what_the_docs_show(
    command: str, shown: str, tmp_path: Path
) -> None:
    # The examples name raw/ and examples/ and write where they stand: give them a folder
    # holding both, so that nothing is written into the repository.
    for name in ("raw", "examples"):
        (tmp_path / name).symlink_to(REPOSITORY / name, target_is_directory=True)
    python = shlex.quote(sys.executable)
    runnable = re.sub(r"(?<![\w/.-])python -m extract\b", f"{python} -m extract", command)
    assert runnable != command, "each example runs python -m extract"
    done = subprocess.run(
        ["bash", "-c", f"set -o pipefail; {runnable}"],
        cwd=tmp_path,
        capture_output=True,
        timeout=120,
        check=False,
    )
    printed = done.stdout.decode("utf-8") + done.stderr.decode("utf-8")
    assert done.returncode == 0, printed
    assert SECONDS_RE.sub(" in N s", printed).rstrip("\n") == SECONDS_RE.sub(
        " in N s", shown
    ).rstrip("\n")


def test_readme_python_example_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(REPOSITORY)  # the example names raw/ and examples/ relative to it
    example = re.search(
        r"```python\n(.*?)```", section(README, "## Using it from Python"), flags=re.DOTALL
    )
    assert example is not None
    test = doctest.DocTestParser().get_doctest(example.group(1), {}, "README", "README.md", 0)
    report: list[str] = []
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    runner.run(test, out=report.append)
    assert runner.tries > 0
    assert runner.failures == 0, "".join(report)


def recipe_blocks() -> list[str]:
    """Return the Python blocks of the panel recipe in docs/outputs.md, in order."""
    recipe = section(PAGES["outputs.md"], "## Recipe: GDP growth of the sample provincial reports")
    return re.findall(r"```python\n(.*?)```", recipe, flags=re.DOTALL)


def run_recipe(output: Path, capsys: pytest.CaptureFixture[str]) -> str:
    """Return what the recipe's Python blocks print, run beside ``output`` (a run's folder)."""
    blocks = recipe_blocks()
    assert len(blocks) == 2
    namespace: dict[str, Any] = {}
    capsys.readouterr()
    for block in blocks:
        exec(compile(block, "docs/outputs.md", "exec"), namespace)
    return capsys.readouterr().out


def test_panel_recipe_runs_on_the_samples(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("pyarrow")
    from extract.runner import extract_paths
    from extract.write import read_panel_csv

    extract_paths(REPOSITORY / "raw", tmp_path / "output", formats={"csv", "jsonl", "parquet"})
    panel = read_panel_csv(tmp_path / "output" / "panel.csv")
    growth = panel[panel["concept"] == "gdp_growth"]
    if growth.empty:
        pytest.skip("the panel of raw/ has no gdp_growth row: facts carry no concept yet")
    monkeypatch.chdir(tmp_path)
    printed = run_recipe(tmp_path / "output", capsys)
    for place in growth["place"].dropna().unique():
        assert place in printed


def test_panel_recipe_runs_on_facts_given_a_context(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # A stand-in for the context stage: each GDP growth figure of a document is its
    # 2025 actual, the document's name its place. What is checked is the recipe's code.
    pytest.importorskip("pyarrow")
    import extract.pipeline
    from extract.models import Document, SourceText
    from extract.runner import extract_paths

    extract_source = extract.pipeline.extract_source

    def with_context(source: SourceText, **options: Any) -> Document:
        document = extract_source(source, **options)
        facts = [
            fact.model_copy(
                update={"place": source.doc_id, "period": "2025", "concept": "gdp_growth"}
            )
            if "生产总值增长" in fact.indicator and fact.base_unit == "%"
            else fact
            for fact in document.facts
        ]
        return document.model_copy(update={"facts": facts})

    monkeypatch.setattr(extract.pipeline, "extract_source", with_context)
    extract_paths(REPOSITORY / "raw", tmp_path / "output", formats={"parquet"}, jobs=1)
    monkeypatch.chdir(tmp_path)
    printed = run_recipe(tmp_path / "output", capsys)
    assert "江西省_2026" in printed and "2025" in printed and "actual" in printed
