"""How many cells a deposit holds and how long exponential growth takes to reach a size.

Assumptions, kept deliberately simple for teaching: a deposit is a sphere packed solid with
identical spherical tumour cells (no stroma, no gaps), so counts are upper bounds; growth is
exponential with a constant volume doubling time. Real tumours slow as they grow (Gompertzian
growth) and deposits may lie dormant for years, so times are illustrations of scale, never
predictions for a patient.
"""

from __future__ import annotations

import numbers

import numpy as np

from micromet.evidence import value

__all__ = [
    "CELL_DIAMETER_UM",
    "MILESTONES",
    "SCREENING_SENSITIVITY_10MM_SIZE_MM",
    "SCREENING_SENSITIVITY_5MM_SIZE_MM",
    "cells_in_section",
    "cells_in_sphere",
    "diameter_for_cells",
    "doublings_to_diameter",
    "milestone_times",
    "time_to_diameter",
]

CELL_DIAMETER_UM: float = value("tumour_cell_diameter_um")
"""Median diameter of a breast-cancer tumour cell, the default cell size."""

# The tumour sizes at which the registry states screening sensitivity; each belongs to its fact.
SCREENING_SENSITIVITY_5MM_SIZE_MM = 5.0  # fact screening_sensitivity_5mm
SCREENING_SENSITIVITY_10MM_SIZE_MM = 10.0  # fact screening_sensitivity_10mm

MAX_DIAMETER_MM = 1000.0
"""No tumour is a metre across: a larger value is almost certainly micrometres given as mm."""
CELL_DIAMETER_RANGE_UM = (1.0, 100.0)
MAX_CELLS = 1e15
"""About a tonne of tumour at 10^9 cells per gram: any larger count is a mistake."""
MAX_DOUBLING_TIME_DAYS = 10000.0

MILESTONES: tuple[tuple[str, float, str], ...] = (
    ("ITC limit", value("itc_max_mm"), "itc_max_mm"),
    ("micrometastasis limit", value("micro_max_mm"), "micro_max_mm"),
    (
        f"mammography finds about {value('screening_sensitivity_5mm'):g}%",
        SCREENING_SENSITIVITY_5MM_SIZE_MM,
        "screening_sensitivity_5mm",
    ),
    (
        f"mammography finds about {value('screening_sensitivity_10mm'):g}%",
        SCREENING_SENSITIVITY_10MM_SIZE_MM,
        "screening_sensitivity_10mm",
    ),
)
"""Sizes the growth explorer marks, smallest first: (name, diameter in mm, evidence fact id)."""


# --- input checks -------------------------------------------------------------------------


def _check(x, name: str, unit: str, upper: float, *, at_least=None, array_ok=True):
    """``x`` as a float (number given) or a float array, every value finite and in range.

    The range is (0, upper], or [at_least, upper] when ``at_least`` is given.
    """
    what = f"a number of {unit}" + (" or an array of them" if array_ok else "")
    scalar = isinstance(x, numbers.Real)
    if isinstance(x, (bool, np.bool_, str, bytes)) or not (scalar or array_ok):
        raise TypeError(f"{name} must be {what}, got {x!r}")
    arr = np.asarray(x)
    if arr.dtype.kind not in "iuf":
        raise TypeError(f"{name} must be {what}, got {x!r}")
    arr = arr.astype(float)
    low_ok = arr > 0 if at_least is None else arr >= at_least
    bad = ~(np.isfinite(arr) & low_ok & (arr <= upper))
    if bad.any():
        bound = "greater than 0" if at_least is None else f"at least {at_least:g}"
        count = "" if scalar else f" ({int(bad.sum())} bad value(s))"
        raise ValueError(
            f"{name} must be finite, {bound} and at most {upper:g} {unit}; "
            f"got {arr[bad].flat[0]:g}{count}"
        )
    return float(arr) if scalar else arr


def _cell_mm(cell_diameter_um) -> float:
    low, high = CELL_DIAMETER_RANGE_UM
    um = _check(cell_diameter_um, "cell_diameter_um", "µm", high, at_least=low, array_ok=False)
    return um / 1000.0


def _diameter(diameter_mm):
    return _check(diameter_mm, "diameter_mm", "mm", MAX_DIAMETER_MM)


# --- cell counts --------------------------------------------------------------------------


def cells_in_sphere(diameter_mm, cell_diameter_um=CELL_DIAMETER_UM):
    """Tumour cells in a spherical deposit, cells filling its whole volume: (D / d)^3.

    An upper bound: real deposits hold stroma and gaps. A number gives a float, an array an array.
    """
    return (_diameter(diameter_mm) / _cell_mm(cell_diameter_um)) ** 3


def cells_in_section(diameter_mm, cell_diameter_um=CELL_DIAMETER_UM):
    """Tumour cells in the deposit's largest cross-section (through its centre): (D / d)^2.

    The count the 200-cells-in-one-section guideline refers to.
    """
    return (_diameter(diameter_mm) / _cell_mm(cell_diameter_um)) ** 2


def diameter_for_cells(cells, cell_diameter_um=CELL_DIAMETER_UM):
    """Diameter in mm of a solid spherical deposit of ``cells`` cells: d · n^(1/3)."""
    n = _check(cells, "cells", "cells", MAX_CELLS, at_least=1)
    return _cell_mm(cell_diameter_um) * np.cbrt(n)


# --- growth -------------------------------------------------------------------------------


def doublings_to_diameter(diameter_mm, *, start_diameter_mm=None):
    """Volume doublings from ``start_diameter_mm`` (default one cell) to a diameter: 3·log2(D/D0).

    Three volume doublings double the diameter.
    """
    d = _diameter(diameter_mm)
    if start_diameter_mm is None:
        start = CELL_DIAMETER_UM / 1000.0
    else:
        start = _check(
            start_diameter_mm, "start_diameter_mm", "mm", MAX_DIAMETER_MM, array_ok=False
        )
    if np.any(d < start):
        raise ValueError(
            f"diameter_mm must be at least the start diameter ({start:g} mm; "
            "by default one tumour cell): growth only goes up"
        )
    doublings = 3.0 * np.log2(d / start)
    return float(doublings) if np.ndim(doublings) == 0 else doublings


def time_to_diameter(diameter_mm, doubling_time_days, *, start_diameter_mm=None):
    """Days of constant exponential growth from ``start_diameter_mm`` (one cell) to a diameter.

    Doubling time × volume doublings. Doubling times are measured on visible tumours: real growth
    slows with size (Gompertzian) and dormancy can last years, so this shows a scale, not a date.
    """
    doublings = doublings_to_diameter(diameter_mm, start_diameter_mm=start_diameter_mm)
    tvdt = _check(doubling_time_days, "doubling_time_days", "days", MAX_DOUBLING_TIME_DAYS)
    days = doublings * tvdt
    return float(days) if np.ndim(days) == 0 else days


def milestone_times(doubling_time_days) -> list[tuple[str, float, float]]:
    """(name, diameter_mm, days from one cell) for each of ``MILESTONES``, smallest first.

    An array of doubling times gives an array of days per milestone.
    """
    return [
        (name, diameter, time_to_diameter(diameter, doubling_time_days))
        for name, diameter, _ in MILESTONES
    ]
