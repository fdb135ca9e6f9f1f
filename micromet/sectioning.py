"""Whether the sections a pathologist examines cut a deposit, and how big it then looks.

Model: the node is cut into parallel slices ``interval_mm`` thick; from each slice one section at
its cut face is examined, plus ``levels - 1`` deeper sections ``level_spacing_mm`` apart. A
spherical deposit has its centre anywhere along the cutting axis with equal probability, so the
pattern repeats every slice. A section that cuts the deposit off-centre shows a smaller profile,
so sections both miss deposits and under-size them.
"""

from __future__ import annotations

import math
import numbers
from dataclasses import dataclass

import numpy as np

from micromet.checks import check_int, check_seed
from micromet.staging import MAX_PLAUSIBLE_MM, DepositCategory, classify_deposits

__all__ = ["SectioningResult", "detection_probability", "simulate"]

MAX_INTERVAL_MM = 20.0
MAX_LEVELS = 50
MAX_DRAWS = 10**7
MIN_PROFILE_MM = 1e-6
"""A profile narrower than this (a plane grazing the deposit) counts as a miss."""


# --- input checks -------------------------------------------------------------------------


def _check_mm(x, name: str, upper: float) -> float:
    if isinstance(x, bool) or not isinstance(x, numbers.Real):
        raise TypeError(f"{name} must be a number of mm, got {x!r}")
    try:
        x = float(x)
    except OverflowError:
        raise ValueError(f"{name} must be at most {upper:g} mm; got a number too large") from None
    if not (math.isfinite(x) and 0 < x <= upper):
        raise ValueError(
            f"{name} must be finite, greater than 0 and at most {upper:g} mm; got {x:g}"
        )
    return x


def _check_diameters(diameter_mm):
    """``diameter_mm`` as a float (number given) or a float array, each in (0, 100] mm."""
    what = f"diameter_mm must be a number of mm or an array of them (0 < d <= {MAX_PLAUSIBLE_MM:g})"
    if isinstance(diameter_mm, (bool, np.bool_, str, bytes)):
        raise TypeError(f"{what}, got {diameter_mm!r}")
    d = np.asarray(diameter_mm)
    if d.dtype.kind not in "iuf":
        raise TypeError(f"{what}, got {diameter_mm!r}")
    d = d.astype(float)
    bad = ~(np.isfinite(d) & (d > 0) & (d <= MAX_PLAUSIBLE_MM))
    if bad.any():
        raise ValueError(
            f"diameter_mm must be finite, greater than 0 and at most {MAX_PLAUSIBLE_MM:g} mm "
            f"(did you pass µm?); got {d[bad].flat[0]:g}"
        )
    return float(d) if isinstance(diameter_mm, numbers.Real) else d


def _check_plan(interval_mm, levels, level_spacing_mm) -> tuple[float, int, float]:
    """The validated sampling plan: slice interval, levels per slice and spacing between levels."""
    s = _check_mm(interval_mm, "interval_mm", MAX_INTERVAL_MM)
    levels = check_int(levels, "levels", 1, MAX_LEVELS)
    if level_spacing_mm is None:
        return s, levels, s / levels
    spacing = _check_mm(level_spacing_mm, "level_spacing_mm", s)
    if (levels - 1) * spacing >= s:
        raise ValueError(
            f"level_spacing_mm must be less than interval_mm / (levels - 1) = "
            f"{s / (levels - 1):g} mm so that all {levels} levels lie within one {s:g} mm slice; "
            f"got {spacing:g}"
        )
    return s, levels, spacing


# --- the analytic probability -------------------------------------------------------------


def detection_probability(diameter_mm, interval_mm, *, levels=1, level_spacing_mm=None):
    """Probability that at least one examined section cuts a spherical deposit of that diameter.

    Each gap g between consecutive examined planes catches centres within reach of a plane over
    min(g, d) of its length, so P = Σ min(g, d) / interval; one section per slice gives min(1, d/s).
    ``level_spacing_mm`` defaults to interval_mm / levels (levels spread evenly through the slice).
    """
    d = _check_diameters(diameter_mm)
    s, levels, spacing = _check_plan(interval_mm, levels, level_spacing_mm)
    last_gap = s - (levels - 1) * spacing
    p = np.minimum(((levels - 1) * np.minimum(spacing, d) + np.minimum(last_gap, d)) / s, 1.0)
    return float(p) if isinstance(d, float) else p


# --- the simulation -----------------------------------------------------------------------


@dataclass(frozen=True, eq=False)
class SectioningResult:
    """Simulated deposits: which were cut by an examined section and the size each section showed.

    ``measured_mm`` is the largest profile seen (in the section nearest the centre), NaN if missed.
    """

    diameter_mm: float
    interval_mm: float
    levels: int
    level_spacing_mm: float
    n: int
    seed: int | None
    hit: np.ndarray
    measured_mm: np.ndarray

    @property
    def detection_rate(self) -> float:
        """Fraction of the simulated deposits cut by at least one examined section."""
        return float(self.hit.mean())

    @property
    def mean_measured_ratio(self) -> float:
        """Mean measured / true diameter among the deposits found (NaN when none was found)."""
        if not self.hit.any():
            return math.nan
        return float(self.measured_mm[self.hit].mean() / self.diameter_mm)

    def measured_categories(self, *, fractions: bool = False) -> dict[str, int | float]:
        """How the deposits were reported: keys "missed", "itc", "micro", "macro".

        Counts (or fractions of n) from the measured size, staged with ``classify_deposits``.
        """
        categories = classify_deposits(self.measured_mm[self.hit])
        counts = {"missed": int(self.n - self.hit.sum())}
        for category in DepositCategory:
            counts[category.value] = int(np.count_nonzero(categories == category))
        if fractions:
            return {name: count / self.n for name, count in counts.items()}
        return counts


def simulate(
    diameter_mm, interval_mm, *, levels=1, level_spacing_mm=None, n=100_000, seed=0
) -> SectioningResult:
    """Cut ``n`` deposits of one diameter, each centred at a random depth, with one sampling plan.

    The same ``seed`` gives the same deposits; ``seed=None`` draws fresh ones.
    """
    d = _check_mm(diameter_mm, "diameter_mm", MAX_PLAUSIBLE_MM)
    s, levels, spacing = _check_plan(interval_mm, levels, level_spacing_mm)
    n = check_int(n, "n", 1, MAX_DRAWS)
    seed = check_seed(seed)

    # Centres along the cutting axis within one slice; planes at 0, Δ, ..., (levels-1)Δ and s.
    centre = np.random.default_rng(seed).uniform(0.0, s, n)
    deepest = (levels - 1) * spacing
    within = np.mod(centre, spacing)
    distance = np.where(
        centre < deepest,
        np.minimum(within, spacing - within),
        np.minimum(centre - deepest, s - centre),
    )
    radius = d / 2
    with np.errstate(invalid="ignore"):
        measured = 2.0 * np.sqrt(radius**2 - distance**2)
    hit = measured >= MIN_PROFILE_MM
    measured[~hit] = np.nan
    hit.flags.writeable = False
    measured.flags.writeable = False
    return SectioningResult(
        diameter_mm=d,
        interval_mm=s,
        levels=levels,
        level_spacing_mm=spacing,
        n=n,
        seed=seed,
        hit=hit,
        measured_mm=measured,
    )
