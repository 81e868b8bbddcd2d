"""Check that the compiled build (setup.py, mypyc) gives the same bytes as the Python source.

Run with the Python of a regular install, from the repository::

    .venv-compiled/bin/python tests/check_compiled.py --reference .venv/bin/python

where ``--reference`` is the Python of an editable install (the source the tests run on).
It fails when the modules setup.py compiles were not compiled, when the golden fixtures
differ, or when any output file of a run on ``raw/`` (and on the folders given with
``--input``) differs between the two. ``.ci/run`` runs it; it is a script, not a test,
because it needs two installs.
"""

from __future__ import annotations

import argparse
import ast
import importlib
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

from oracles import visible_outputs

REPOSITORY = Path(__file__).resolve().parents[1]
#: Manifest keys that name the run rather than its results.
RUN_KEYS = ("extractor_version",)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--reference", required=True, help="Python of an editable install")
    parser.add_argument("--input", action="append", type=Path, default=[REPOSITORY / "raw"])
    args = parser.parse_args()
    problems = _not_compiled()
    golden = subprocess.run(
        [sys.executable, str(REPOSITORY / "tests" / "update_golden.py"), "--check"],
        capture_output=True,
        text=True,
    )
    if golden.returncode != 0:
        problems.append(f"golden fixtures differ in the compiled build:\n{golden.stdout}")
    with tempfile.TemporaryDirectory() as scratch:
        for number, folder in enumerate(args.input):
            compiled = Path(scratch, f"compiled-{number}")
            reference = Path(scratch, f"reference-{number}")
            # abspath, not resolve(): a venv's python is a symlink that must stay one
            pythons = ((sys.executable, compiled), (os.path.abspath(args.reference), reference))
            for python, output in pythons:
                run = [python, "-m", "extract", str(folder), str(output), "-q", "--jobs", "1"]
                subprocess.run(run, check=False, cwd=scratch)
            problems += [f"{folder}: {d}" for d in _differences(compiled, reference)]
    for problem in problems:
        print(f"check_compiled: {problem}", file=sys.stderr)
    if not problems:
        print(f"check_compiled: compiled {', '.join(compiled_modules())}; same outputs")
    return 1 if problems else 0


def compiled_modules(setup_py: Path = REPOSITORY / "setup.py") -> tuple[str, ...]:
    """Return the modules setup.py compiles (its ``COMPILED`` list) as dotted names.

    Read from the file, not imported: importing setup.py would run setup().
    """
    for node in ast.parse(setup_py.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and any(
            isinstance(target, ast.Name) and target.id == "COMPILED" for target in node.targets
        ):
            paths: list[str] = ast.literal_eval(node.value)
            return tuple(
                path.removeprefix("src/").removesuffix(".py").replace("/", ".") for path in paths
            )
    raise LookupError(f"{setup_py} has no COMPILED list")


def _not_compiled() -> list[str]:
    """Return a problem for each module setup.py compiles that is Python source here."""
    problems = []
    for name in compiled_modules():
        path = importlib.import_module(name).__file__ or ""
        if path.endswith(".py"):
            problems.append(
                f"{name} is not compiled ({path}): see the pip output for why "
                "(a C compiler and the Python headers are needed)"
            )
    return problems


def _differences(compiled: Path, reference: Path) -> list[str]:
    """Return the files that differ between two output folders (run keys ignored).

    The folders are compared as a reader finds them (``oracles.visible_outputs``): the
    run's own bookkeeping, such as its lock and generation folders, is left out.
    """
    left_files, right_files = visible_outputs(compiled), visible_outputs(reference)
    if not left_files and not right_files:
        return ["no outputs"]
    differences = []
    for name in sorted(left_files.keys() | right_files.keys()):
        left, right = left_files.get(name), right_files.get(name)
        if left is None or right is None:
            differences.append(f"{name} is written by one build only")
        elif name == "manifest.json":
            if _without_run_keys(left) != _without_run_keys(right):
                differences.append(f"{name} differs")
        elif left != right:
            differences.append(f"{name} differs")
    return differences


def _without_run_keys(manifest: bytes) -> dict[str, object]:
    data = json.loads(manifest.decode("utf-8"))
    return {key: value for key, value in data.items() if key not in RUN_KEYS}


if __name__ == "__main__":
    sys.exit(main())
