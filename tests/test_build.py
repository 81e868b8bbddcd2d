"""The build compiles what it says it compiles, and no module escapes the type check."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from check_compiled import compiled_modules

REPOSITORY = Path(__file__).resolve().parents[1]


def test_no_module_is_let_off_its_type_errors() -> None:
    # mypy checks the whole package (.ci/run), and mypyc compiles some of it: an override
    # that ignores a module's errors would hide a wrong conversion in a compiled module.
    config = tomllib.loads((REPOSITORY / "pyproject.toml").read_text(encoding="utf-8"))
    mypy = config["tool"]["mypy"]
    assert not mypy.get("ignore_errors", False)
    assert [o for o in mypy.get("overrides", []) if o.get("ignore_errors")] == []


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
