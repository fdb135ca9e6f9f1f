"""The axillary trials on a timeline, and AMAROS's trade-off drawn as 100 women per arm."""

from __future__ import annotations

import re
import textwrap
from dataclasses import dataclass

import numpy as np
from matplotlib.axes import Axes
from matplotlib.collections import PathCollection
from matplotlib.text import Text
from matplotlib.ticker import MaxNLocator

from micromet.axilla import TRIALS, Fit
from micromet.diagrams.palette import ACCENT, BACKGROUND, INK, MUTED
from micromet.evidence import fact

QUESTIONS = (
    "Is the sentinel node\nenough when it is clear?",
    "Can dissection be left out\nwhen it is positive?",
    "Can radiotherapy\nreplace dissection?",
    "Can the biopsy itself\nbe left out?",
)
ROW = {
    "NSABP B-32": 0,
    "ACOSOG Z0011": 1,
    "IBCSG 23-01": 1,
    "SENOMAC": 1,
    "POSNOC": 1,
    "AMAROS": 2,
    "SOUND": 3,
    "INSEMA": 3,
}
"""Which question each trial asked: the rows of the timeline, from 'dissect' to 'omit'."""
FIT_COLOURS = {Fit.MATCH: "#009E73", Fit.EXCLUDED: "#BBBBBB", Fit.UNDETERMINED: "#E69F00"}


def first_report_year(trial_name: str) -> int:
    """Earliest year in the citations of a trial's registered facts: when its evidence began."""
    trial = TRIALS[trial_name]
    years = [
        int(y)
        for fact_id in (*trial.design, *trial.results)
        for y in re.findall(r"\b(?:19|20)\d\d\b", fact(fact_id).citation)
    ]
    return min(years)


@dataclass(frozen=True)
class TrialTimeline:
    """The moving parts: one marker per trial, coloured by whether it enrolled this case."""

    names: tuple[str, ...]
    markers: PathCollection
    caption: Text

    @property
    def moving(self) -> list:
        """The artists that updates change."""
        return [self.markers, self.caption]


def draw_trial_timeline(ax: Axes) -> TrialTimeline:
    """Trials by year of first report (x) and by the question they asked (rows)."""
    names = tuple(TRIALS)
    years = np.array([first_report_year(name) for name in names], dtype=float)
    rows = np.array([ROW[name] for name in names], dtype=float)
    ax.set_facecolor(BACKGROUND)
    ax.set_xlim(years.min() - 1.5, years.max() + 3.5)
    ax.set_ylim(len(QUESTIONS) - 0.4, -0.8)
    ax.set_yticks(range(len(QUESTIONS)), QUESTIONS)
    ax.tick_params(colors=INK, labelsize=7)
    for side in ("top", "right", "left"):
        ax.spines[side].set_visible(False)
    ax.set_xlabel("year of the first report registered here", fontsize=8, color=INK)
    for row in range(len(QUESTIONS)):
        ax.axhline(row, color=MUTED, lw=0.5, alpha=0.5)
    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.text(
        years.min() - 1.3,
        -0.6,
        "from dissecting everyone ...",
        fontsize=7,
        color=ACCENT,
        va="bottom",
    )
    ax.text(
        years.max() + 3.3,
        -0.6,
        "... to omitting surgery",
        fontsize=7,
        color=ACCENT,
        ha="right",
        va="bottom",
    )
    seen: dict[float, int] = {}
    for i in np.lexsort((years, rows)):
        k = seen.get(rows[i], 0)
        seen[rows[i]] = k + 1
        above = k % 2 == 0
        ax.text(
            years[i],
            rows[i] + (-0.17 if above else 0.17),
            names[i],
            fontsize=7,
            ha="center",
            va="bottom" if above else "top",
            color=INK,
        )
    markers = ax.scatter(
        years, rows, s=140, c=[FIT_COLOURS[Fit.EXCLUDED]] * len(names), edgecolors=INK, zorder=3
    )
    caption = ax.figure.text(0.01, 0.99, "", fontsize=7, color=INK, va="top", ha="left")
    return TrialTimeline(names, markers, caption)


def update_trial_timeline(timeline: TrialTimeline, fits: dict[str, Fit], case: str) -> None:
    """Colour each trial (green: criteria met; amber: cannot be checked; grey: excluded) and
    print the case described above the timeline."""
    timeline.markers.set_facecolors([FIT_COLOURS[fits[name]] for name in timeline.names])
    timeline.caption.set_text(textwrap.fill(case, 125))


ICONS_PER_ROW = 10


@dataclass(frozen=True)
class IconArrays:
    """One 10 x 10 grid of women per outcome; the filled ones had the outcome."""

    grids: tuple[PathCollection, ...]
    counts: tuple[Text, ...]

    @property
    def moving(self) -> list:
        """The artists that updates change."""
        return [*self.grids, *self.counts]


def draw_icon_arrays(axes: list[Axes], titles: list[str]) -> IconArrays:
    """A 100-woman grid on each Axes, titled with its outcome."""
    x, y = np.meshgrid(np.arange(ICONS_PER_ROW), np.arange(ICONS_PER_ROW))
    grids, counts = [], []
    for ax, title in zip(axes, titles, strict=True):
        ax.set_facecolor(BACKGROUND)
        ax.set_aspect("equal")
        ax.set_xlim(-0.8, ICONS_PER_ROW - 0.2)
        ax.set_ylim(ICONS_PER_ROW + 0.2, -1.8)
        ax.set_axis_off()
        ax.set_title(title, fontsize=8, color=INK)
        grids.append(
            ax.scatter(
                x.ravel(),
                y.ravel(),
                s=45,
                marker="o",
                linewidths=0.6,
                edgecolors=MUTED,
                c=[BACKGROUND] * x.size,
            )
        )
        counts.append(
            ax.text(
                ICONS_PER_ROW / 2 - 0.5,
                -1.0,
                "",
                ha="center",
                va="center",
                fontsize=9,
                color=INK,
                weight="bold",
            )
        )
    return IconArrays(tuple(grids), tuple(counts))


def update_icon_arrays(arrays: IconArrays, percents: list[float], colour: str) -> None:
    """Fill round(percent) women of 100 in each grid (at least one when the rate is above 0)."""
    for grid, count, percent in zip(arrays.grids, arrays.counts, percents, strict=True):
        filled = max(round(percent), 1 if percent > 0 else 0)
        colours = [colour] * filled + [BACKGROUND] * (ICONS_PER_ROW**2 - filled)
        grid.set_facecolors(colours)
        count.set_text(f"{percent:g} in 100")
