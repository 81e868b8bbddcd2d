"""Command line: parse arguments, call the library, turn its exceptions into exit codes.

``extract [run] INPUT_DIR OUTPUT_DIR`` runs the pipeline over a folder (``run`` is the
default command); ``extract stdin`` (or ``extract - -``) reads one report on stdin and
writes its facts to stdout; ``extract eval OUTPUT_DIR [GOLD_DIR] [--panel DIR] [--list]``
scores a run against gold facts and its panel against gold cells; ``extract explain FILE
[--json]`` shows what happened to one report and why. A folder run shows a progress bar
when stderr is a terminal. No extraction logic lives here.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import gc
import io
import os
import re
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, NoReturn

from .version import installed_version

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
#: A --cluster run's cluster had no worker left for long; the previous outputs are kept.
EXIT_CLUSTER_LOST = 4
#: Interrupted with Ctrl-C; the previous outputs are left as they were.
EXIT_INTERRUPTED = 130
#: Stopped by SIGTERM (kill, a timeout, a service manager); as Ctrl-C, 128 + 15.
EXIT_TERMINATED = 143

PROG = "extract"

#: The INPUT_DIR and OUTPUT_DIR, as written, that mean standard input and standard output.
STDIO = "-"
#: The name standard input goes by in messages.
STDIN_NAME = "<stdin>"


class UsageError(Exception):
    """A mistake in the command line; the message says what to change."""


class _ArgumentParser(argparse.ArgumentParser):
    """An argument parser that reports mistakes as ``UsageError`` instead of exiting."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{message}; run '{self.prog} --help' for usage")


class _EvalParser(_ArgumentParser):
    """The eval command's parser: GOLD_DIR may be left out only when --panel is given."""

    def parse_args(self, *args: Any, **kwargs: Any) -> Any:  # type: ignore[override]
        options = super().parse_args(*args, **kwargs)
        if options.gold_dir is None and options.panel is None:
            self.error("give GOLD_DIR, --panel GOLD_PANEL_DIR, or both")
        return options


class Call(NamedTuple):
    """A command-line call: the command it names and the options parsed for it."""

    command: str
    options: argparse.Namespace


#: The options of ``extract run`` and of ``extract stdin``, by their argparse names; the
#: parser of ``extract`` without a command takes them all (the tests hold them to the parsers).
RUN_OPTIONS = (
    "input_dir",
    "output_dir",
    "quiet",
    "jobs",
    "incremental",
    "format",
    "lexicon",
    "force",
    "meta",
    "cluster",
    "storage_option",
)
STDIN_OPTIONS = ("quiet", "doc_id", "lexicon")
#: The options that ``extract`` without a command takes for a folder run only, by flag.
FOLDER_RUN_ONLY = {
    "-j/--jobs": "jobs",
    "--incremental": "incremental",
    "--format": "format",
    "--force": "force",
    "--meta": "meta",
    "--cluster": "cluster",
    "--storage-option": "storage_option",
}


class Terminated(KeyboardInterrupt):
    """SIGTERM arrived: the run stops as it does on Ctrl-C."""


def _terminate(number: int, frame: object) -> None:
    """Turn SIGTERM into ``Terminated``, so that the run cleans up as on Ctrl-C."""
    raise Terminated


#: The collector's threshold for its youngest generation in a process of its own (Python's
#: default is 700). Start-up builds hundreds of thousands of long-lived objects (the
#: lexicon, the rules, the table of divisions, the models and dataclasses of the modules it
#: imports), and at 700 the collector runs through them over and over while they are made;
#: at 10,000 it still did so about thirty times in a run of one report. A cycle of garbage
#: only waits a little longer to be freed.
_YOUNG_THRESHOLD = 100_000


def run_command() -> int:
    """Return the exit code of the ``extract`` command (and ``python -m extract``).

    ``main`` in a process of its own: the garbage collector runs less often, and what is
    left when the command is done is frozen (``gc.freeze``), so that the interpreter's
    collections at exit do not walk every object of the lexicon and the rules just to free
    them a moment later. Callers of ``main`` in their own process keep their collector as
    it is.
    """
    _, older, oldest = gc.get_threshold()
    gc.set_threshold(_YOUNG_THRESHOLD, older, oldest)
    try:
        return main()
    finally:
        gc.freeze()


def main(argv: Sequence[str] | None = None) -> int:
    """Return the exit code of one command-line call (``argv`` defaults to ``sys.argv[1:]``)."""
    arguments = list(sys.argv[1:] if argv is None else argv)
    try:
        call = parse_call(arguments)
        return COMMANDS[call.command].run(call.options)
    except UsageError as error:
        _say(f"error: {error}")
        return EXIT_USAGE
    except Terminated:
        _say("terminated: no output was changed; the previous outputs are intact")
        return EXIT_TERMINATED
    except KeyboardInterrupt:
        _say("interrupted: no output was changed; the previous outputs are intact")
        return EXIT_INTERRUPTED


def parse_call(arguments: Sequence[str]) -> Call:
    """Return the command that ``arguments`` call, with its options.

    A first argument that names a command calls it with the rest; anything else is the
    default command: ``run`` on two folders, or ``stdin`` when both folders are ``-``.
    So ``extract eval out/ gold/`` scores a run, while ``extract run eval out/`` reads a
    folder named ``eval``.
    """
    if arguments and arguments[0] in COMMANDS:
        name = arguments[0]
        try:
            return Call(name, COMMANDS[name].parser().parse_args(arguments[1:]))
        except UsageError as error:
            if Path(name).is_dir():  # perhaps meant as the input folder
                hint = f"the folder {name} is read with 'extract run {name} OUTPUT_DIR'"
                raise UsageError(f"{error}; {hint}") from None
            raise
    return _default_call(_extract_parser().parse_args(arguments))


def _default_call(options: argparse.Namespace) -> Call:
    """Return the ``run`` or ``stdin`` call that ``extract`` without a command stands for.

    The folders come as written, so that ``./-`` is a folder while ``-`` is stdio.
    """
    folders = (options.input_dir, options.output_dir)
    if STDIO not in folders:
        if options.doc_id is not None:
            raise UsageError("--doc-id names the report read from stdin; use it with '- -'")
        options.input_dir, options.output_dir = map(folder_or_url, folders)
        return Call("run", _options_of(options, RUN_OPTIONS))
    if folders != (STDIO, STDIO):
        raise UsageError(
            "'-' reads one report from stdin and writes its facts to stdout, so it is given "
            "twice: extract - - (a folder named '-' is passed as ./-)"
        )
    given = [option for option, name in FOLDER_RUN_ONLY.items() if vars(options)[name]]
    if given:
        raise UsageError(
            f"{given[0]} applies to a folder run, not to '- -' (one report on stdin); drop it"
        )
    return Call("stdin", _options_of(options, STDIN_OPTIONS))


def _options_of(options: argparse.Namespace, names: Sequence[str]) -> argparse.Namespace:
    """Return the options among ``options`` that one command takes: those called ``names``."""
    return argparse.Namespace(**{name: vars(options)[name] for name in names})


#: The usage lines of ``extract --help``: every command and what it takes.
EXTRACT_USAGE = """extract [run] INPUT_DIR OUTPUT_DIR [-q] [-j N] [--incremental] [--format FORMATS]
                                          [--lexicon FILE.toml] [--force] [--meta FILE.csv]
                                          [--cluster local:N|tcp://HOST:PORT]
                                          [--storage-option KEY=VALUE]
       extract stdin [-q] [--doc-id NAME] [--lexicon FILE.toml]   (or: extract - - ...)
       extract eval OUTPUT_DIR [GOLD_DIR] [--panel GOLD_PANEL_DIR] [--list]
       extract explain FILE [--json] [--lexicon FILE.toml]
       extract COMMAND --help | extract --version"""

#: The end of ``extract --help``: each command with an example, the exit codes.
EXTRACT_EPILOG = """\
commands and examples:
  run       every .txt file under INPUT_DIR into OUTPUT_DIR (the default command)
              extract raw/ output/ -j 4 --incremental
  stdin     one report on stdin, its facts as JSON Lines on stdout ('- -' is short for it)
              cat report.txt | extract - - | head -3
  eval      score a run against gold facts, and its panel against gold panel cells
              extract eval output/ gold/ --panel gold-panel/ --list
  explain   show what happened to one report and why
              extract explain raw/report.txt --json

'extract COMMAND --help' shows the options of one command. After 'run', INPUT_DIR and
OUTPUT_DIR are always folders, even when named eval, explain, run, stdin or -:
  extract run eval output/                   reads the folder eval

exit codes: 0 every file ok; 1 some files skipped or failed (see manifest.json);
2 usage error (also: OUTPUT_DIR in use by another run, or holding files no run wrote);
3 outputs could not be written; 130 interrupted (Ctrl-C); 143 terminated (SIGTERM)
"""

#: The end of ``extract run --help``: examples, progress, the exit codes.
RUN_EPILOG = """examples:
  extract raw/ output/                       every .txt file under raw/ into output/
  extract raw/ output/ -j 4 --incremental    4 worker processes; reuse unchanged files
  extract raw/ output/ --format csv,parquet  choose the fact files
  extract raw/ output/ --lexicon my.toml     with your own units and words
  extract raw/ output/ --meta meta.csv       the place and date of documents, where known
  extract raw/ output/ -q                    print only errors (for cron and scripts)
  extract run eval output/                   a folder named eval, explain, run, stdin or -
  extract s3://bucket/raw/ s3://bucket/out/ --cluster tcp://HOST:8786
                                             on a Dask cluster (pip install 'extract[dask]')

While a run goes on, each file that is not ok gets one line on stderr, above a progress
bar (files done, facts found, files/s, time left) when stderr is a terminal; the run ends
with one line: N files: a ok, b skipped, c error; F facts written to OUTPUT_DIR in S s.

exit codes: 0 every file ok; 1 some files skipped or failed (see manifest.json);
2 usage error (also: OUTPUT_DIR in use by another run, or holding files no run wrote);
3 outputs could not be written; 130 interrupted (Ctrl-C); 143 terminated (SIGTERM)
"""

#: What ``extract run`` does, at the top of its help and of ``extract --help``.
RUN_DESCRIPTION = (
    "Extract numeric facts from every .txt file under INPUT_DIR into OUTPUT_DIR\n"
    "(facts.jsonl, facts.csv, documents/, manifest.json)."
)


def _extract_parser() -> argparse.ArgumentParser:
    """Return the parser of ``extract`` without a command: a folder run, or ``- -``."""
    parser = _ArgumentParser(
        prog=PROG,
        usage=EXTRACT_USAGE,
        description=(
            "Turn Chinese report text into numeric facts. Without a command, extract runs 'run':\n"
            "every .txt file under INPUT_DIR into OUTPUT_DIR (facts.jsonl, facts.csv, documents/,\n"
            "manifest.json)."
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
    _add_run_arguments(parser, folder=str)
    # Taken for '- -', the shorthand of `extract stdin`, whose help shows it.
    parser.add_argument("--doc-id", metavar="NAME", help=argparse.SUPPRESS)
    return parser


def _run_parser() -> argparse.ArgumentParser:
    """Return the parser of ``extract run``."""
    parser = _ArgumentParser(
        prog=f"{PROG} run",
        description=f"{RUN_DESCRIPTION}\nThe default command: 'run' may be left out, except "
        "before an INPUT_DIR named\neval, explain, run or stdin, or a folder named '-'.",
        epilog=RUN_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    _add_run_arguments(parser, folder=folder_or_url)
    return parser


def _add_run_arguments(
    parser: argparse.ArgumentParser, *, folder: Callable[[str], object] = Path
) -> None:
    """Add the folders (of type ``folder``) and options of a folder run to ``parser``."""
    parser.add_argument("input_dir", metavar="INPUT_DIR", type=folder, help="folder of .txt files")
    parser.add_argument("output_dir", metavar="OUTPUT_DIR", type=folder, help="folder for outputs")
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
        "--force",
        action="store_true",
        help="replace files in OUTPUT_DIR named like outputs (facts.csv, documents/, …) "
        "that no run of extract wrote; without it such a folder is refused",
    )
    parser.add_argument(
        "--format",
        action="append",
        metavar="FORMATS",
        help="fact files to write: csv, jsonl, json, parquet; comma-separated or repeated "
        "(default: csv,jsonl)",
    )
    parser.add_argument(
        "--meta",
        metavar="FILE.csv",
        type=Path,
        default=None,
        help="the place and date of documents, as columns doc_id, place, date (either may "
        "be empty); they win over what the texts say",
    )
    parser.add_argument(
        "--cluster",
        metavar="local:N|ADDRESS",
        default=None,
        help="extract on a Dask cluster: local:N starts N worker processes here, "
        "tcp://HOST:8786 uses a running scheduler; INPUT_DIR and OUTPUT_DIR may then be "
        "URLs (s3://...), and the outputs are Parquet parts (docs/scaling-out.md). "
        "Needs pip install 'extract[dask]'",
    )
    parser.add_argument(
        "--storage-option",
        metavar="KEY=VALUE",
        action="append",
        default=[],
        help="an fsspec storage option of the input and output URLs, such as "
        "client_kwargs.endpoint_url=http://127.0.0.1:9000 (repeatable; with --cluster)",
    )
    _add_lexicon_argument(parser)


def _add_lexicon_argument(parser: argparse.ArgumentParser) -> None:
    """Add ``--lexicon FILE.toml`` (repeatable) to ``parser``."""
    parser.add_argument(
        "--lexicon",
        metavar="FILE.toml",
        type=Path,
        action="append",
        default=[],
        help="add the units, words and header patterns of a lexicon file (repeatable; "
        "see examples/lexicon.toml)",
    )


def folder_or_url(text: str) -> Path | str:
    """Return a folder argument as a path, or as text when it is a URL (``s3://bucket/x``,
    which a path would make ``s3:/bucket/x``); only a ``--cluster`` run takes URLs.

    >>> folder_or_url("raw/"), folder_or_url("s3://bucket/raw/")
    (PosixPath('raw'), 's3://bucket/raw/')
    """
    return text if "://" in text else Path(text)


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
    return installed_version()


def available_cpus() -> int:
    """Return the number of CPUs this process may run on."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1


def run_folder(options: argparse.Namespace) -> int:
    """Return the exit code of ``extract run INPUT_DIR OUTPUT_DIR``."""
    if options.cluster is not None:
        return run_on_cluster(options)
    if options.storage_option:
        raise UsageError("--storage-option applies to a --cluster run; add --cluster local:N")
    for folder in (options.input_dir, options.output_dir):
        if isinstance(folder, str):
            raise UsageError(f"{folder}: a URL is read and written by a --cluster run only")
    # Imported here so that `--help` and argument mistakes answer without loading jieba.
    from .lexicon import LexiconError
    from .meta import MetaError, read_meta
    from .read import InputFolderError
    from .runner import extract_paths
    from .write import DEFAULT_FORMATS, FormatError, OutputFolderError, parse_formats

    started = time.perf_counter()
    display = RunDisplay(quiet=options.quiet, terminal=_stderr_is_terminal())
    cpus = available_cpus()
    if options.jobs is not None and options.jobs > cpus and not options.quiet:
        _say(
            f"warning: -j {options.jobs} is more than the {cpus} CPUs here; the extra "
            "workers only take memory (at most one worker a file is started)"
        )
    # SIGTERM stops the run as Ctrl-C does: workers stopped, previous outputs kept.
    in_main_thread = threading.current_thread() is threading.main_thread()
    saved_handler = signal.signal(signal.SIGTERM, _terminate) if in_main_thread else None
    try:
        formats = DEFAULT_FORMATS if options.format is None else parse_formats(options.format)
        meta = read_meta(options.meta) if options.meta is not None else None
        summary = extract_paths(
            options.input_dir,
            options.output_dir,
            jobs=options.jobs,
            incremental=options.incremental,
            progress=display.report,
            formats=formats,
            lexicon_files=options.lexicon,
            on_start=display.start,
            force=options.force,
            meta=meta,
        )
    except (InputFolderError, OutputFolderError, FormatError, LexiconError, MetaError) as error:
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
        if in_main_thread:
            signal.signal(signal.SIGTERM, saved_handler)
    totals = summary.totals()
    all_ok = totals["ok"] == totals["files"]
    if totals["files"] == 0 and not options.quiet:
        _say(f"warning: no files found under {options.input_dir}")
    if not options.quiet or not all_ok:
        # Under --quiet a non-zero exit still gets its one line of explanation.
        seconds = time.perf_counter() - started
        _say(format_summary(totals, output_dir=options.output_dir, seconds=seconds))
    return EXIT_OK if all_ok else EXIT_SOME_FILES_NOT_OK


def run_on_cluster(options: argparse.Namespace) -> int:
    """Return the exit code of ``extract run INPUT OUTPUT --cluster SPEC`` (cluster.py)."""
    for flag, given in (
        ("-j/--jobs", options.jobs is not None),
        ("--format", options.format is not None),
        ("--force", options.force),
        ("--meta", options.meta is not None),
    ):
        if given:
            raise UsageError(f"{flag} applies to a local run, not to --cluster; drop it")
    # Imported here: dask stays out of the start-up of every other command.
    from .cluster import (
        ClusterError,
        ClusterLostError,
        connect,
        extract_on_cluster,
        storage_options_of,
    )
    from .lexicon import LexiconError
    from .read import InputFolderError

    started = time.perf_counter()
    display = RunDisplay(quiet=options.quiet, terminal=_stderr_is_terminal())
    try:
        storage_options = storage_options_of(options.storage_option)
        with connect(options.cluster) as client:
            summary = extract_on_cluster(
                client,
                str(options.input_dir),
                str(options.output_dir),
                storage_options=storage_options,
                lexicon_files=options.lexicon,
                incremental=options.incremental,
                progress=display.report,
                on_start=display.start,
            )
    except (ClusterError, InputFolderError, LexiconError) as error:
        raise UsageError(str(error)) from None
    except ClusterLostError as error:
        _say(f"error: {error}; files already in {options.output_dir} were left as they were")
        return EXIT_CLUSTER_LOST
    except OSError as error:
        _say(
            f"error: cannot read or write ({error}); files already in {options.output_dir} "
            "were not replaced unless _SUCCESS is gone"
        )
        return EXIT_WRITE_FAILED
    finally:
        display.close()
    totals = summary.totals()
    all_ok = totals["ok"] == totals["files"]
    if not options.quiet or not all_ok:
        seconds = time.perf_counter() - started
        _say(format_summary(totals, output_dir=options.output_dir, seconds=seconds))
    return EXIT_OK if all_ok else EXIT_SOME_FILES_NOT_OK


def format_summary(totals: dict[str, int], *, output_dir: Path | str, seconds: float) -> str:
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
                self.bar.write(printable(line), file=sys.stderr)
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


def _stdin_parser() -> argparse.ArgumentParser:
    """Return the parser of ``extract stdin``."""
    parser = _ArgumentParser(
        prog=f"{PROG} stdin",
        description=(
            "Extract the numeric facts of one report read on stdin and write them to stdout\n"
            "as JSON Lines, the rows of facts.jsonl. 'extract - -' is short for 'extract stdin'."
        ),
        epilog=STDIN_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "-q", "--quiet", action="store_true", help="print only errors: no repaired line"
    )
    parser.add_argument(
        "--doc-id", metavar="NAME", help="doc_id of the report and its facts (default: stdin)"
    )
    _add_lexicon_argument(parser)
    return parser


#: The end of ``extract stdin --help``: an example and the exit codes.
STDIN_EPILOG = """\
example:
  cat report.txt | extract stdin --doc-id report | head -3

exit codes: 0 facts written; 1 the report gives no text (empty, binary, not decodable)
or its extraction failed; 2 usage error; 130 interrupted
"""


def run_stdin(options: argparse.Namespace) -> int:
    """Return the exit code of ``extract stdin``: one report on stdin, its facts on stdout.

    The bytes are decoded as an input file's are; the facts are written as JSON Lines,
    the rows of facts.jsonl. A report that gives no text is an ``error: <stdin>: …``
    line and exit code 1, as a skipped file is in a folder run.
    """
    from .lexicon import LexiconError, load_lexicon
    from .pipeline import describe_failure, extract_source
    from .read import UnreadableFile, readable_name, source_from_bytes
    from .write import FactTable

    try:
        lexicon = load_lexicon(options.lexicon)
    except LexiconError as error:
        raise UsageError(str(error)) from None
    # A name given in bytes that are not UTF-8 (GBK in a Chinese locale) becomes text.
    doc_id = readable_name(options.doc_id) if options.doc_id else "stdin"
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
    with _reader_may_stop_early():
        sys.stdout.buffer.write(lines.encode("utf-8"))  # JSON Lines are UTF-8 whatever the locale
        sys.stdout.flush()
    return EXIT_OK


@contextlib.contextmanager
def _reader_may_stop_early() -> Iterator[None]:
    """Write to stdout inside this block: a reader that stops early (``| head -3``) is no error."""
    try:
        yield
    except BrokenPipeError:
        # Silence the flush at exit too, which would fail the same way.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def _eval_parser() -> argparse.ArgumentParser:
    """Return the parser of the eval command."""
    parser = _EvalParser(
        prog=f"{PROG} eval",
        description=(
            "Score the facts of a run (facts.jsonl, else facts.json or facts.csv) against gold "
            "DOC_ID.facts.jsonl files, and its panel.csv against gold *.panel.jsonl files "
            "(--panel)."
        ),
    )
    parser.add_argument("output_dir", metavar="OUTPUT_DIR", type=Path, help="folder of a run")
    parser.add_argument(
        "gold_dir",
        metavar="GOLD_DIR",
        type=Path,
        nargs="?",
        help="folder of gold facts files (may be left out with --panel)",
    )
    parser.add_argument(
        "--panel",
        metavar="GOLD_PANEL_DIR",
        type=Path,
        help="also score panel.csv against the *.panel.jsonl files of this folder",
    )
    parser.add_argument(
        "--list", action="store_true", help="also list each miss, extra and field mismatch"
    )
    return parser


def run_eval(options: argparse.Namespace) -> int:
    """Return the exit code of ``extract eval OUTPUT_DIR [GOLD_DIR] [--panel DIR]``, printing
    the fact report, the panel report, or both."""
    try:
        from .evaluate import evaluate_dirs, evaluate_panel, format_panel_report, format_report
    except ImportError as error:
        raise UsageError(
            f"the eval command is unavailable ({error}); reinstall with pip install -e ."
        ) from None
    reports = []
    try:
        # Both are read before anything is printed: a bad gold file prints no half report.
        if options.gold_dir is not None:
            facts = evaluate_dirs(options.output_dir, options.gold_dir)
            reports.append(format_report(facts, list_errors=options.list))
        if options.panel is not None:
            panel = evaluate_panel(options.output_dir, options.panel)
            reports.append(format_panel_report(panel, list_errors=options.list))
    except (OSError, ValueError) as error:
        # Missing folders and malformed gold files; their messages name the file and fix.
        raise UsageError(str(error)) from None
    if isinstance(sys.stdout, io.TextIOWrapper):
        sys.stdout.reconfigure(errors="replace")
    with _reader_may_stop_early():
        print("\n\n".join(reports), flush=True)
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
    _add_lexicon_argument(parser)
    return parser


def run_explain(options: argparse.Namespace) -> int:
    """Return the exit code of ``extract explain FILE``, printing the explanation."""
    path: Path = options.file
    if not path.exists() and not path.is_symlink():
        raise UsageError(f"{path}: no such file; pass the path of one .txt report")
    if path.is_dir():
        raise UsageError(
            f"{path}: is a folder; pass the path of one .txt report "
            f"(a folder is read with 'extract run {path} OUTPUT_DIR')"
        )
    # Anything else that is not a regular file (a named pipe, a device, a broken link)
    # is refused by read_source with what it is, before it is opened.
    from .explain import explain_source, format_explanation
    from .read import UnreadableFile, read_source

    try:
        source = read_source(path, root=path.parent)
    except UnreadableFile as error:
        raise UsageError(f"{path}: {error.reason}") from None
    from .lexicon import LexiconError, load_lexicon

    try:
        lexicon = load_lexicon(options.lexicon)
    except LexiconError as error:
        raise UsageError(str(error)) from None
    explanation = explain_source(source, lexicon=lexicon)
    if isinstance(sys.stdout, io.TextIOWrapper):
        sys.stdout.reconfigure(errors="replace")
    if options.json:
        text = explanation.model_dump_json(indent=2)  # JSON escapes control characters
    else:
        # The name and the report's own text reach the terminal: their control
        # characters are escaped as on stderr, line by line.
        text = "\n".join(map(printable, format_explanation(explanation).split("\n")))
    with _reader_may_stop_early():
        print(text, flush=True)
    return EXIT_OK


def _say(message: str) -> None:
    """Print one line to standard error, its control characters escaped."""
    print(printable(message), file=sys.stderr, flush=True)


#: What may not reach a terminal raw, in a file name or anywhere else in a message: control
#: characters (ESC starts colour and cursor sequences, CR overwrites the line, BEL rings),
#: the bidirectional overrides that show a name backwards, and the surrogates that stand for
#: bytes of a name that are not UTF-8. Compiled for the first message: a quiet run prints
#: none, and the standard library builds this class's tables slowly.
_UNPRINTABLE = "[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ud800-\udfff]"


@functools.cache
def _unprintable_re() -> re.Pattern[str]:
    return re.compile(_UNPRINTABLE)


def printable(text: str) -> str:
    """Return ``text`` with every character ``_UNPRINTABLE`` matches escaped as in Python.

    >>> print(printable("skipped: a\\x1b[31m\\r.txt: empty file"))
    skipped: a\\x1b[31m\\r.txt: empty file
    >>> print(printable(os.fsdecode(b"\\xb1\\xa8.txt")))
    \\xb1\\xa8.txt
    """
    return _unprintable_re().sub(_escape_character, text)


def _escape_character(match: re.Match[str]) -> str:
    """Return the escape of the one character ``match`` found: ``\\r``, ``\\x1b``, ``\\u202e``."""
    character = match.group()
    if "\udc80" <= character <= "\udcff":  # a byte of a name that is not UTF-8
        return f"\\x{ord(character) - 0xDC00:02x}"
    return character.encode("unicode_escape", errors="backslashreplace").decode("ascii")


class Command(NamedTuple):
    """One command of ``extract``: the parser of its arguments and what runs it."""

    parser: Callable[[], argparse.ArgumentParser]
    run: Callable[[argparse.Namespace], int]


#: The commands, by the name that calls them as the first argument.
COMMANDS = {
    "run": Command(_run_parser, run_folder),
    "stdin": Command(_stdin_parser, run_stdin),
    "eval": Command(_eval_parser, run_eval),
    "explain": Command(_explain_parser, run_explain),
}
