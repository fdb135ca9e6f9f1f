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

SCREENING_SENSITIVITY_5MM_SIZE_MM = 5.0  # the size at which fact screening_sensitivity_5mm is stated
SCREENING_SENSITIVITY_10MM_SIZE_MM = 10.0  # the size of fact screening_sensitivity_10mm

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
        f"screen-detectable (mammography finds about {value('screening_sensitivity_5mm'):g}% "
        "at this size)",
        SCREENING_SENSITIVITY_5MM_SIZE_MM,
        "screening_sensitivity_5mm",
    ),
    (
        "usually visible on mammography",
        SCREENING_SENSITIVITY_10MM_SIZE_MM,
        "screening_sensitivity_10mm",
    ),
)
"""Sizes the growth explorer marks, smallest first: (name, diameter in mm, evidence fact id)."""


# --- input checks -------------------------------------------------------------------------


def _check_positive(x, name: str, unit: str, upper: float, lower: float = 0.0):
    """``x`` as a float (scalar input) or float array, each value in (lower, upper] and finite."""
    if isinstance(x, (bool, np.bool_, str, bytes)):
        raise TypeError(f"{name} must be a number of {unit} or an array of them, got {x!r}")
    scalar = isinstance(x, numbers.Real)
    arr = np.asarray(x)
    if arr.dtype.kind not in "iuf":
        raise TypeError(f"{name} must be a number of {unit} or an array of them, got {x!r}")
    arr = arr.astype(float)
    bad = ~(np.isfinite(arr) & (arr > lower) & (arr <= upper))
    if bad.any():
        bound = f"greater than {lower:g}" if lower == 0 else f"at least {lower:g}"
        raise ValueError(
            f"{name} must be finite, {bound} and at most {upper:g} {unit}; "
            f"got {arr[bad].flat[0]!r}" + ("" if scalar else f" ({int(bad.sum())} bad value(s))")
        )
    return float(arr) if scalar else arr


def _check_cell_diameter(cell_diameter_um) -> float:
    low, high = CELL_DIAMETER_RANGE_UM
    if isinstance(cell_diameter_um, bool) or not isinstance(cell_diameter_um, numbers.Real):
        raise TypeError(f"cell_diameter_um must be a number of µm, got {cell_diameter_um!r}")
    size = float(cell_diameter_um)
    if not low <= size <= high:
        raise ValueError(
            f"cell_diameter_um must be between {low:g} and {high:g} µm, got {cell_diameter_um!r}"
        )
    return size


def _ratio(diameter_mm, cell_diameter_um):
    d = _check_positive(diameter_mm, "diameter_mm", "mm", MAX_DIAMETER_MM)
    return d / (_check_cell_diameter(cell_diameter_um) / 1000.0)


def _start(start_diameter_mm) -> float:
    if start_diameter_mm is None:
        return CELL_DIAMETER_UM / 1000.0
    if isinstance(start_diameter_mm, np.ndarray):
        raise TypeError("start_diameter_mm must be a single number of mm, not an array")
    return _check_positive(start_diameter_mm, "start_diameter_mm", "mm", MAX_DIAMETER_MM)


# --- cell counts --------------------------------------------------------------------------


def cells_in_sphere(diameter_mm, cell_diameter_um=CELL_DIAMETER_UM):
    """Tumour cells in a spherical deposit, cells filling its whole volume: (D / d)^3.

    An upper bound: real deposits hold stroma and gaps. Scalars give a float, arrays an array.
    """
    return _ratio(diameter_mm, cell_diameter_um) ** 3


def cells_in_section(diameter_mm, cell_diameter_um=CELL_DIAMETER_UM):
    """Tumour cells in the deposit's largest cross-section (a section through its centre): (D / d)^2.

    This is the count the 200-cells-in-one-section guideline refers to.
    """
    return _ratio(diameter_mm, cell_diameter_um) ** 2


def diameter_for_cells(cells, cell_diameter_um=CELL_DIAMETER_UM):
    """Diameter in mm of a solid spherical deposit of ``cells`` cells: d · n^(1/3)."""
    n = _check_positive(cells, "cells", "cells", MAX_CELLS, lower=1.0 - 1e-12)
    return _check_cell_diameter(cell_diameter_um) / 1000.0 * np.cbrt(n)


# --- growth -------------------------------------------------------------------------------


def doublings_to_diameter(diameter_mm, *, start_diameter_mm=None):
    """Volume doublings needed to grow from ``start_diameter_mm`` (one cell) to a diameter: 3·log2(D/D0).

    Three volume doublings double the diameter.
    """
    d = _check_positive(diameter_mm, "diameter_mm", "mm", MAX_DIAMETER_MM)
    start = _start(start_diameter_mm)
    if np.any(np.asarray(d) < start):
        raise ValueError(
            f"diameter_mm must be at least the start diameter ({start:g} mm): a deposit does not "
            "grow smaller"
        )
    doublings = 3.0 * np.log2(np.asarray(d) / start)
    return float(doublings) if isinstance(d, float) else doublings


def time_to_diameter(diameter_mm, doubling_time_days, *, start_diameter_mm=None):
    """Days of constant exponential growth from ``start_diameter_mm`` (one cell) to a diameter.

    Doubling time × number of volume doublings. Doubling times are measured on visible tumours;
    early growth may be faster (Gompertzian growth) and dormancy can add years, so this shows
    the scale of the timeline, not when a deposit appeared or will grow.
    """
    doublings = doublings_to_diameter(diameter_mm, start_diameter_mm=start_diameter_mm)
    tvdt = _check_positive(doubling_time_days, "doubling_time_days", "days", MAX_DOUBLING_TIME_DAYS)
    days = np.multiply(doublings, tvdt)
    return float(days) if np.ndim(days) == 0 else days


def milestone_times(doubling_time_days) -> list[tuple[str, float, float]]:
    """(name, diameter_mm, days from one cell) for each of ``MILESTONES`` at one doubling time."""
    if isinstance(doubling_time_days, np.ndarray):
        raise TypeError("doubling_time_days must be a single number of days, not an array")
    return [
        (name, diameter, time_to_diameter(diameter, doubling_time_days))
        for name, diameter, _ in MILESTONES
    ]
