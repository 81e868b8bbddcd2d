"""Build hook: compile the extraction rules to C with mypyc in a regular install.

Everything else about the package is in pyproject.toml. ``pip install .`` compiles the
modules in ``COMPILED`` with mypyc: the same source, type-checked and translated to C,
which makes the extract stage markedly cheaper (docs/performance.md). The Python
source stays the reference and is what runs when nothing is compiled:

- an editable install (``pip install -e .``, for development and the tests) is never
  compiled, so an edited module is never shadowed by a stale binary;
- ``EXTRACT_COMPILE=0`` turns compilation off;
- without a C compiler, or if mypyc refuses the code, the build warns and installs the
  pure-Python package.
"""

from __future__ import annotations

import os
import sys

from setuptools import Extension, setup

#: The modules worth compiling: the language work that runs on every character or every
#: number of every report. The per-quantity rules and the number grammar they call, where
#: most of the CPU goes; the re-flow of broken lines, the sentence splitter and jieba's
#: dictionary route, together about a tenth of a run's instructions less once compiled.
#: The heading patterns and the GIL-keeping regex calls they all make are called per line
#: and per match, so they are compiled with them. The context stage reads every fact's
#: sentence again (its time words, places and concept wordings) in Python loops; the
#: places it reads are checked one by one, from a table of every division built at start-up.
#: The others spend their time in C already (regex, json, pydantic) or gain nothing
#: measurable. Each is type-checked first (pyproject.toml, ``[tool.mypy]``).
COMPILED = [
    "src/extract/facts.py",
    "src/extract/numbers.py",
    "src/extract/clean.py",
    "src/extract/structure.py",
    "src/extract/regex_calls.py",
    "src/extract/segment.py",
    "src/extract/tagger.py",
    "src/extract/context.py",
    "src/extract/places.py",
]


def compiled_extensions() -> list[Extension]:
    """Return the mypyc extensions to build, or none (see the module docstring)."""
    if os.environ.get("EXTRACT_COMPILE", "1") == "0" or not _builds_a_wheel():
        return []
    try:
        from mypyc.build import mypycify

        extensions = mypycify(COMPILED, opt_level="3", debug_level="0")
    except (Exception, SystemExit) as error:  # mypy exits on a type error: pure Python too
        print(
            f"warning: not compiling with mypyc ({error!r}); installing pure Python",
            file=sys.stderr,
        )
        return []
    for extension in extensions:
        extension.optional = True  # no C compiler: warn and install pure Python
    return extensions


def _builds_a_wheel() -> bool:
    """True when setuptools was asked for a regular build; not for metadata or editable.

    mypyc's type check and C translation take most of a minute, so they are not run for the
    metadata and editable commands that would throw the result away.
    """
    commands = set(sys.argv[1:])
    return "editable_wheel" not in commands and bool(
        commands & {"bdist_wheel", "build", "build_ext", "install"}
    )


setup(ext_modules=compiled_extensions())
