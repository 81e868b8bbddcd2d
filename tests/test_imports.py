"""Module imports: no module of the package takes part in an import cycle, and each one
imports on its own, in a fresh interpreter."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[1] / "src" / "extract"
MODULES = sorted(path.stem for path in PACKAGE.glob("*.py"))


def package_imports(module: str) -> set[str]:
    """Return the package's modules that ``module`` imports, at its top or in a function."""
    tree = ast.parse((PACKAGE / f"{module}.py").read_text(encoding="utf-8"))
    imported: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            # from .write import X; from . import tagger
            imported.update([node.module] if node.module else [a.name for a in node.names])
        elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("extract."):
            imported.add((node.module or "").split(".")[1])
        elif isinstance(node, ast.Import):
            imported.update(
                a.name.split(".")[1] for a in node.names if a.name.startswith("extract.")
            )
    return {name.split(".")[0] for name in imported} & set(MODULES)


def cycle_through(start: str) -> list[str] | None:
    """Return a chain of imports from ``start`` back to itself, or None when there is none."""
    graph = {module: package_imports(module) for module in MODULES}
    paths = [[start, module] for module in sorted(graph[start])]
    seen: set[str] = set()
    while paths:
        path = paths.pop(0)
        if path[-1] == start:
            return path
        if path[-1] in seen:
            continue
        seen.add(path[-1])
        paths.extend([*path, module] for module in sorted(graph[path[-1]]))
    return None


@pytest.mark.parametrize("module", MODULES)
def test_module_is_in_no_import_cycle(module: str) -> None:
    assert cycle_through(module) is None, " -> ".join(cycle_through(module) or [])


def test_the_cycle_finder_finds_a_cycle(monkeypatch: pytest.MonkeyPatch) -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    monkeypatch.setattr(sys.modules[__name__], "MODULES", sorted(graph))
    monkeypatch.setattr(sys.modules[__name__], "package_imports", graph.__getitem__)
    assert cycle_through("a") == ["a", "b", "c", "a"]
    assert cycle_through("d") is None


def test_each_module_imports_alone() -> None:
    # One fresh interpreter; each module imported after the package's modules are
    # forgotten, so none relies on another having been imported first.
    # __main__ would run the CLI; __init__ is the package itself.
    names = ["extract." + module for module in MODULES if module not in ("__init__", "__main__")]
    script = "\n".join(
        [
            "import importlib, sys",
            f"for name in {['extract', *names]!r}:",
            "    for loaded in [m for m in sys.modules if m.startswith('extract')]:",
            "        del sys.modules[loaded]",
            "    importlib.import_module(name)",
        ]
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr


#: Heavy optional libraries that starting the CLI must not import (cluster.py imports
#: dask where a --cluster run needs it).
STARTUP_FREE = ("dask", "distributed", "fsspec", "s3fs", "pyarrow")


@pytest.mark.parametrize("library", STARTUP_FREE)
def test_starting_the_cli_imports_no_optional_engine(library: str) -> None:
    script = "\n".join(
        [
            "import sys",
            "import extract.cli, extract.core, extract.cluster",
            "from extract.cli import parse_call",
            "parse_call(['in', 'out', '--cluster', 'local:2'])",
            f"print({library!r} in sys.modules)",
        ]
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


#: Modules that only some runs need: the worker pool (runs with workers) and the HTML
#: parser (web pages saved as text). A one-job run of plain text never imports them.
RUN_FREE = ("multiprocessing", "concurrent.futures.process", "html.parser")


@pytest.mark.parametrize("module", RUN_FREE)
def test_a_one_job_run_of_plain_text_does_not_import(module: str, tmp_path: Path) -> None:
    source = tmp_path / "in"
    source.mkdir()
    (source / "a.txt").write_text("全市地区生产总值增长5.2%。", encoding="utf-8")
    script = "\n".join(
        [
            "import sys",
            "from extract.cli import main",
            f"code = main([{str(source)!r}, {str(tmp_path / 'out')!r}, '-q', '--jobs', '1'])",
            f"print(code, {module!r} in sys.modules)",
        ]
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["0", "False"]
