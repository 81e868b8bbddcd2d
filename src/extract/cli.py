"""Command line: parse arguments, call the library, turn its exceptions into exit codes.

``python -m extract INPUT_DIR OUTPUT_DIR`` runs the pipeline over a folder;
``python -m extract - -`` reads one report on stdin and writes its facts to stdout;
``python -m extract eval OUTPUT_DIR GOLD_DIR [--list]`` scores a run against gold facts;
``python -m extract explain FILE [--json]`` shows what happened to one report and why.
A folder run shows a progress bar when stderr is a terminal. No extraction logic lives here.
"""

from __future__ import annotations

import argparse
import io
import os
import sys
import time
from collections.abc import Sequence
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as package_version
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

if TYPE_CHECKING:  # imported for type hints only: pydantic slows down `--help`
    from tqdm import tqdm

    from .models import ManifestEntry

#: Every file was read and extracted.
EXIT_OK = 0
#: The run finished, but some files were skipped or failed (see manifest.json).
EXIT_SOME_FILES_NOT_OK = 1
#: The call itself is wrong: bad arguments, unusable input or output folder.
EXIT_USAGE = 2
#: The run could not write its outputs (disk full, permissions changed mid-run).
EXIT_WRITE_FAILED = 3
#: Interrupted with Ctrl-C; the previous outputs are left as they were.
EXIT_INTERRUPTED = 130

PROG = "extract"

#: The INPUT_DIR and OUTPUT_DIR that mean standard input and standard output.
STDIO = Path("-")
#: The name standard input goes by in messages.
STDIN_NAME = "<stdin>"


class UsageError(Exception):
    """A mistake in the command line; the message says what to change."""


class _ArgumentParser(argparse.ArgumentParser):
    """An argument parser that reports mistakes as ``UsageError`` instead of exiting."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message}; run '{self.prog} --help' for usage")


def main(argv: Sequence[str] | None = None) -> int:
    """Return the exit code of one command-line call (``argv`` defaults to ``sys.argv[1:]``)."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    try:
        if arguments[:1] == ["eval"]:
            return run_eval(arguments[1:])
        if arguments[:1] == ["explain"]:
            return run_explain(arguments[1:])
        return run_extract(arguments)
    except UsageError as error:
        _say(f"error: {error}")
        return EXIT_USAGE
    except KeyboardInterrupt:
        _say("interrupted: no output was changed; the previous outputs are intact")
        return EXIT_INTERRUPTED


#: The end of ``extract --help``: examples, the other commands, the exit codes.
EXTRACT_EPILOG = """\
examples:
  extract raw/ output/                       every .txt file under raw/ into output/
  extract raw/ output/ -j 4 --incremental    4 worker processes; reuse unchanged files
  extract raw/ output/ --format csv,parquet  choose the fact files
  extract raw/ output/ --lexicon my.toml     with your own units and words
  extract raw/ output/ -q                    print only errors (for cron and scripts)
  cat report.txt | extract - - | head -3     one report on stdin, its facts on stdout

other commands:
  extract eval OUTPUT_DIR GOLD_DIR [--list]  score a run against gold facts
  extract explain FILE [--json]              show what happened to one report and why

While a run goes on, each file that is not ok gets one line on stderr, above a progress
bar (files done, facts found, files/s, time left) when stderr is a terminal; the run ends
with one line: N files: a ok, b skipped, c error; F facts written to OUTPUT_DIR in S s.

exit codes: 0 every file ok; 1 some files skipped or failed (see manifest.json);
2 usage error; 3 outputs could not be written; 130 interrupted
"""


def _extract_parser() -> argparse.ArgumentParser:
    """Return the parser of the run command."""
    parser = _ArgumentParser(
        prog=PROG,
        description=(
            "Extract numeric facts from every .txt file under INPUT_DIR into OUTPUT_DIR\n"
            "(facts.jsonl, facts.csv, documents/, manifest.json)."
        ),
        epilog=EXTRACT_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"{PROG} {extract_version()}",
        help="print the version and exit",
    )
    parser.add_argument("input_dir", metavar="INPUT_DIR", type=Path, help="folder of .txt files")
    parser.add_argument("output_dir", metavar="OUTPUT_DIR", type=Path, help="folder for outputs")
    parser.add_argument(
        "-q",
        "--quiet",
        action="store_true",
        help="print only errors: no progress bar, no skipped or repaired lines, and the "
        "summary line only when some file is not ok",
    )
    parser.add_argument(
        "-j",
        "--jobs",
        type=_positive_int,
        default=None,
        metavar="N",
        help="extract N files at a time in worker processes (default: one per CPU); "
        "the outputs are the same for any N",
    )
    parser.add_argument(
        "--incremental",
        action="store_true",
        help="reuse the previous run's results in OUTPUT_DIR for files whose bytes and "
        "extractor version are unchanged",
    )
    parser.add_argument(
        "--format",
        action="append",
        metavar="FORMATS",
        help="fact files to write: csv, jsonl, json, parquet; comma-separated or repeated "
        "(default: csv,jsonl)",
    )
    parser.add_argument(
        "--lexicon",
        metavar="FILE.toml",
        type=Path,
        action="append",
        default=[],
        help="add the units, words and header patterns of a lexicon file (repeatable; "
        "see examples/lexicon.toml)",
    )
    parser.add_argument(
        "--doc-id",
        metavar="NAME",
        help="doc_id of the report read with '- -' (default: stdin)",
    )
    return parser


def _positive_int(text: str) -> int:
    """Return ``text`` as an int of at least 1, for argparse."""
    try:
        number = int(text)
    except ValueError:
        number = 0
    if number < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number of at least 1, not {text!r}")
    return number


def extract_version() -> str:
    """Return the installed version of this package, such as ``0.1.0``."""
    try:
        return package_version("extract")
    except PackageNotFoundError:  # run from a source tree that was never installed
        return "unknown"


def run_extract(arguments: Sequence[str]) -> int:
    """Return the exit code of ``extract INPUT_DIR OUTPUT_DIR``."""
    options = _extract_parser().parse_args(arguments)
    if STDIO in (options.input_dir, options.output_dir):
        return run_stdin(options)
    if options.doc_id is not None:
        raise UsageError("--doc-id names the report read from stdin; use it with '- -'")
    # Imported here so that `--help` and argument mistakes answer without loading jieba.
    from .lexicon import LexiconError
    from .pipeline import extract_paths
    from .read import InputFolderError
    from .write import DEFAULT_FORMATS, FormatError, OutputFolderError, parse_formats

    started = time.perf_counter()
    display = RunDisplay(quiet=options.quiet, terminal=_stderr_is_terminal())
    try:
        formats = DEFAULT_FORMATS if options.format is None else parse_formats(options.format)
        summary = extract_paths(
            options.input_dir,
            options.output_dir,
            jobs=options.jobs,
            incremental=options.incremental,
            progress=display.report,
            formats=formats,
            lexicon_files=options.lexicon,
            on_start=display.start,
        )
    except (InputFolderError, OutputFolderError, FormatError, LexiconError) as error:
        raise UsageError(str(error)) from None
    except OSError as error:
        where = error.filename or options.output_dir
        _say(
            f"error: cannot write outputs ({where}: {error.strerror}); free space or fix "
            f"permissions and run again; files already in {options.output_dir} were not replaced"
        )
        return EXIT_WRITE_FAILED
    finally:
        display.close()  # before any message below, so the bar does not garble it
    totals = summary.totals()
    all_ok = totals["ok"] == totals["files"]
    if totals["files"] == 0 and not options.quiet:
        _say(f"warning: no files found under {options.input_dir}")
    if not options.quiet or not all_ok:
        # Under --quiet a non-zero exit still gets its one line of explanation.
        seconds = time.perf_counter() - started
        _say(format_summary(totals, output_dir=options.output_dir, seconds=seconds))
    return EXIT_OK if all_ok else EXIT_SOME_FILES_NOT_OK


def format_summary(totals: dict[str, int], *, output_dir: Path, seconds: float) -> str:
    """Return the one line that ends a folder run, from ``RunSummary.totals()``.

    >>> totals = {"files": 7, "ok": 4, "skipped": 2, "error": 1, "facts": 314}
    >>> format_summary(totals, output_dir=Path("output"), seconds=12.34)
    '7 files: 4 ok, 2 skipped, 1 error; 314 facts written to output in 12.3 s'
    """
    return (
        f"{totals['files']} files: {totals['ok']} ok, {totals['skipped']} skipped, "
        f"{totals['error']} error; {totals['facts']} facts written to {output_dir} "
        f"in {seconds:.1f} s"
    )


def format_entry_lines(entry: ManifestEntry, *, quiet: bool) -> list[str]:
    """Return the stderr lines of one finished file: its problem and its repairs, if any.

    With ``quiet`` only a file that failed (status ``error``) gets a line.
    """
    if quiet:
        return [f"error: {entry.path}: {entry.reason}"] if entry.status == "error" else []
    lines = [f"{entry.status}: {entry.path}: {entry.reason}"] if entry.status != "ok" else []
    # Read-stage issues are repairs to the file itself; the user should know.
    repairs = [issue for issue in entry.issues if issue.stage == "read"]
    return lines + [f"repaired: {entry.path}: {issue.reason}" for issue in repairs]


#: The progress bar: files done of all, facts so far, time spent and left, files per second.
BAR_FORMAT = (
    "{percentage:3.0f}%|{bar}| {n_fmt}/{total_fmt} files{postfix} "
    "[{elapsed}<{remaining}, {rate_fmt}]"
)


class RunDisplay:
    """What a folder run shows on stderr while it goes on: problem lines and a progress bar.

    The bar (tqdm) is shown only when stderr is a ``terminal``, the run has more than one
    file and it is not ``quiet``; problem lines are then written above it.
    """

    def __init__(self, *, quiet: bool, terminal: bool) -> None:
        self.quiet = quiet
        self.terminal = terminal
        self.facts = 0
        self.bar: tqdm | None = None

    def start(self, file_count: int) -> None:
        """Open the progress bar for ``file_count`` files, if it is to be shown."""
        if self.quiet or not self.terminal or file_count <= 1:
            return
        from tqdm import tqdm  # only a run on a terminal needs it

        self.bar = tqdm(
            total=file_count,
            unit=" file",
            file=sys.stderr,
            bar_format=BAR_FORMAT,
            dynamic_ncols=True,
            postfix="0 facts",
            leave=False,  # the summary line takes its place
        )

    def report(self, entry: ManifestEntry) -> None:
        """Print the lines of one finished file and move the bar on."""
        self.facts += entry.facts
        for line in format_entry_lines(entry, quiet=self.quiet):
            if self.bar is None:
                _say(line)
            else:
                self.bar.write(line, file=sys.stderr)
        if self.bar is not None:
            self.bar.set_postfix_str(f"{self.facts} facts", refresh=False)
            self.bar.update()

    def close(self) -> None:
        """Remove the progress bar from the terminal, if one is shown."""
        if self.bar is not None:
            self.bar.close()
            self.bar = None


def _stderr_is_terminal() -> bool:
    """Return whether standard error is a terminal (a pipe or file gets no progress bar)."""
    return sys.stderr is not None and sys.stderr.isatty()


def run_stdin(options: argparse.Namespace) -> int:
    """Return the exit code of ``extract - -``: one report on stdin, its facts on stdout.

    The bytes are decoded as an input file's are; the facts are written as JSON Lines,
    the rows of facts.jsonl. A report that gives no text is an ``error: <stdin>: …``
    line and exit code 1, as a skipped file is in a folder run.
    """
    if options.input_dir != STDIO or options.output_dir != STDIO:
        raise UsageError(
            "'-' reads one report from stdin and writes its facts to stdout, so it is given "
            "twice: extract - - (a folder named '-' is passed as ./-)"
        )
    from .lexicon import LexiconError, load_lexicon
    from .pipeline import describe_failure, extract_source
    from .read import UnreadableFile, source_from_bytes
    from .write import FactTable

    try:
        lexicon = load_lexicon(options.lexicon)
    except LexiconError as error:
        raise UsageError(str(error)) from None
    doc_id = options.doc_id or "stdin"
    try:
        source = source_from_bytes(sys.stdin.buffer.read(), path=STDIN_NAME, doc_id=doc_id)
        document = extract_source(source, lexicon=lexicon)
    except UnreadableFile as error:
        _say(f"error: {STDIN_NAME}: {error.reason}")
        return EXIT_SOME_FILES_NOT_OK
    except Exception as error:  # a stage failure, reported as a folder run reports it
        _say(f"error: {STDIN_NAME}: {describe_failure(error)}")
        return EXIT_SOME_FILES_NOT_OK
    for issue in source.issues:
        if not options.quiet:
            _say(f"repaired: {STDIN_NAME}: {issue.reason}")
    lines = FactTable.of(document.facts).jsonl_text()  # the lines of facts.jsonl
    try:
        sys.stdout.buffer.write(lines.encode("utf-8"))  # JSON Lines are UTF-8 whatever the locale
        sys.stdout.flush()
    except BrokenPipeError:
        # The reader stopped early (| head -3); silence the flush at exit, as it would fail too.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return EXIT_OK


def _eval_parser() -> argparse.ArgumentParser:
    """Return the parser of the eval command."""
    parser = _ArgumentParser(
        prog=f"{PROG} eval",
        description="Score the facts.jsonl of a run against gold DOC_ID.facts.jsonl files.",
    )
    parser.add_argument("output_dir", metavar="OUTPUT_DIR", type=Path, help="folder of a run")
    parser.add_argument("gold_dir", metavar="GOLD_DIR", type=Path, help="folder of gold files")
    parser.add_argument(
        "--list", action="store_true", help="also list each miss, extra and field mismatch"
    )
    return parser


def run_eval(arguments: Sequence[str]) -> int:
    """Return the exit code of ``extract eval OUTPUT_DIR GOLD_DIR``, printing the report."""
    options = _eval_parser().parse_args(arguments)
    try:
        from .evaluate import evaluate_dirs, format_report
    except ImportError as error:
        raise UsageError(
            f"the eval command is unavailable ({error}); reinstall with pip install -e ."
        ) from None
    try:
        report = evaluate_dirs(options.output_dir, options.gold_dir)
    except (OSError, ValueError) as error:
        # Missing folders and malformed facts files; their messages name the file and fix.
        raise UsageError(str(error)) from None
    if isinstance(sys.stdout, io.TextIOWrapper):
        sys.stdout.reconfigure(errors="replace")
    print(format_report(report, list_errors=options.list))
    return EXIT_OK


def _explain_parser() -> argparse.ArgumentParser:
    """Return the parser of the explain command."""
    parser = _ArgumentParser(
        prog=f"{PROG} explain",
        description=(
            "Show what happened to one report: the cleaning steps that changed it, its "
            "sections, every fact with the rules that produced it and its clause as jieba "
            "segmented it, and every number that is not a fact with the reason."
        ),
    )
    parser.add_argument("file", metavar="FILE", type=Path, help="one .txt report")
    parser.add_argument("--json", action="store_true", help="print the explanation as JSON")
    return parser


def run_explain(arguments: Sequence[str]) -> int:
    """Return the exit code of ``extract explain FILE``, printing the explanation."""
    options = _explain_parser().parse_args(arguments)
    path: Path = options.file
    if not path.is_file():
        raise UsageError(f"{path}: no such file; pass the path of one .txt report")
    from .explain import explain_source, format_explanation
    from .read import UnreadableFile, read_source

    try:
        source = read_source(path, root=path.parent)
    except UnreadableFile as error:
        raise UsageError(f"{path}: {error.reason}") from None
    explanation = explain_source(source)
    if isinstance(sys.stdout, io.TextIOWrapper):
        sys.stdout.reconfigure(errors="replace")
    if options.json:
        print(explanation.model_dump_json(indent=2))
    else:
        print(format_explanation(explanation))
    return EXIT_OK


def _say(message: str) -> None:
    """Print one line to standard error."""
    print(message, file=sys.stderr, flush=True)
