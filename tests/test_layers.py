"""The layers hold: rules load no drawing or widget library, and drawings load no widgets."""

import subprocess
import sys

import pytest

MODELS = [
    "checks",
    "staging",
    "evidence",
    "growth",
    "sectioning",
    "drainage",
    "axilla",
    "predict",
    "adjuvant",
    "practice",
]


def _loaded_after_import(module: str) -> set[str]:
    code = (
        f"import sys, micromet.{module}; "
        "print(' '.join(m for m in ('matplotlib', 'ipywidgets') if m in sys.modules))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    return set(result.stdout.split())


@pytest.mark.parametrize("module", MODELS)
def test_model_modules_load_neither_matplotlib_nor_ipywidgets(module):
    assert _loaded_after_import(module) == set()


def test_diagrams_load_no_widgets():
    assert _loaded_after_import("diagrams") == {"matplotlib"}
