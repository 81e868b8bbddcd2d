"""Golden fixtures: the whole output for a real report, compared with what was checked by hand.

Regenerate with ``python tests/update_golden.py`` and read the diff it prints.
"""

from __future__ import annotations

import pytest

from update_golden import GOLDEN_CASES, GoldenCase, diff_text, render_case


@pytest.mark.parametrize("case", [pytest.param(case, id=case.name) for case in GOLDEN_CASES])
def test_pipeline_output_equals_golden_fixture(case: GoldenCase) -> None:
    expected = [case.input_path, case.document_path, case.facts_path]
    missing = [path.name for path in expected if not path.exists()]
    if missing:
        pytest.fail(
            f"golden fixture {case.name} not generated yet (missing {', '.join(missing)}); "
            "run: python tests/update_golden.py",
            pytrace=False,
        )
    differences = [
        diff_text(path, path.read_text(encoding="utf-8"), actual)
        for path, actual in render_case(case).items()
        if path.read_text(encoding="utf-8") != actual
    ]
    if differences:
        pytest.fail(
            "output differs from the golden fixture; if the change is meant, run "
            "python tests/update_golden.py and review its diff\n" + "".join(differences),
            pytrace=False,
        )
