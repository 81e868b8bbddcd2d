"""The build compiles what it says it compiles, and type-checks every module it compiles."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from check_compiled import compiled_modules

REPOSITORY = Path(__file__).resolve().parents[1]


def _strictly_checked_modules() -> set[str]:
    """Return the modules pyproject.toml's mypy overrides do not let off their type errors."""
    config = tomllib.loads((REPOSITORY / "pyproject.toml").read_text(encoding="utf-8"))
    checked: set[str] = set()
    for override in config["tool"]["mypy"]["overrides"]:
        if override.get("ignore_errors") is False:
            modules = override["module"]
            checked.update([modules] if isinstance(modules, str) else modules)
    return checked


def test_every_compiled_module_is_type_checked() -> None:
    # mypyc compiles a module whose type errors are ignored, and its conversions then fail
    # or go wrong at run time: each compiled module must be one mypy checks.
    assert set(compiled_modules()) == _strictly_checked_modules()


@pytest.mark.parametrize("module", compiled_modules())
def test_compiled_module_exists(module: str) -> None:
    assert (REPOSITORY / "src" / (module.replace(".", "/") + ".py")).is_file()


def test_compiled_modules_read_from_setup_py(tmp_path: Path) -> None:
    setup_py = tmp_path / "setup.py"
    setup_py.write_text('X = 1\nCOMPILED = ["src/extract/a.py", "src/extract/sub/b.py"]\n')
    assert compiled_modules(setup_py) == ("extract.a", "extract.sub.b")
    setup_py.write_text("COMPILE = []\n")
    with pytest.raises(LookupError, match="no COMPILED list"):
        compiled_modules(setup_py)
