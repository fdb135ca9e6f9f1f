"""Axillary management explorers: which trials enrolled a case like this, and AMAROS's trade-off."""

from __future__ import annotations

import html

import ipywidgets as w
from matplotlib.figure import Figure

from micromet.axilla import SURGERIES, T_STAGES, TRIALS, AxillaCase, Fit, assess
from micromet.diagrams.trials import (
    draw_icon_arrays,
    draw_trial_timeline,
    update_icon_arrays,
    update_trial_timeline,
)
from micromet.evidence import fact
from micromet.staging import DepositCategory
from micromet.widgets.explorer import Explorer, Frame

NOT_DONE = -1
ULTRASOUND = {"not done": None, "negative": True, "abnormal": False}
DEPOSITS = {
    "none": None,
    "isolated tumour cells only": DepositCategory.ITC,
    "micrometastasis": DepositCategory.MICRO,
    "macrometastasis": DepositCategory.MACRO,
}


def _deposit_options(positive: int) -> list[str]:
    """Largest-deposit choices that agree with the number of positive nodes."""
    if positive == NOT_DONE:
        return ["none"]
    if positive == 0:
        return ["none", "isolated tumour cells only"]
    return ["micrometastasis", "macrometastasis"]


class AxillaCaseExplorer(Explorer):
    """A patient's findings → the trials that enrolled patients like her, and what they found."""

    name = "axilla"
    figsize = (6.2, 3.4)

    def __init__(self):
        wide = w.Layout(width="520px")
        controls = {
            "t_stage": w.Dropdown(
                options=T_STAGES, value="T1", description="Clinical T stage", layout=wide
            ),
            "tumour_size_mm": w.IntSlider(
                value=15, min=5, max=80, description="Tumour size (mm)", layout=wide
            ),
            "clinically_node_negative": w.Checkbox(
                value=True, description="No palpable axillary nodes"
            ),
            "ultrasound": w.Dropdown(
                options=list(ULTRASOUND),
                value="not done",
                description="Axillary ultrasound",
                layout=wide,
            ),
            "surgery": w.ToggleButtons(
                options=SURGERIES, value="breast-conserving", description="Breast surgery"
            ),
            "whole_breast_rt": w.Checkbox(value=True, description="Whole-breast radiotherapy"),
            "positive_slns": w.Dropdown(
                options=[("biopsy not done yet", NOT_DONE)] + [(str(k), k) for k in range(5)],
                value=1,
                description="Positive sentinel nodes",
                layout=wide,
            ),
            "deposit": w.Dropdown(
                options=_deposit_options(1),
                value="micrometastasis",
                description="Largest deposit",
                layout=wide,
            ),
            "extranodal_extension": w.Checkbox(value=False, description="Extranodal extension"),
            "neoadjuvant": w.Checkbox(value=False, description="Neoadjuvant therapy given"),
        }
        super().__init__(controls)

    def build(self, figure: Figure) -> list:
        self.timeline = draw_trial_timeline(figure.add_axes((0.3, 0.14, 0.68, 0.72)))
        return self.timeline.moving

    def _on_change(self, change) -> None:
        """Keep dependent controls consistent, so the case can never contradict itself."""
        if self._holding:
            return
        self._holding = True
        try:
            positive = self.controls["positive_slns"].value
            deposit = self.controls["deposit"]
            options = _deposit_options(positive)
            if list(deposit.options) != options:
                deposit.options = options
                deposit.value = options[0]
            deposit.disabled = len(options) == 1
            ene = self.controls["extranodal_extension"]
            ene.disabled = positive in (NOT_DONE, 0)
            ene.value = ene.value and not ene.disabled
            rt = self.controls["whole_breast_rt"]
            rt.disabled = self.controls["surgery"].value == "mastectomy"
            rt.value = rt.value and not rt.disabled
        finally:
            self._holding = False
        self.refresh()

    def case(self) -> AxillaCase:
        """The case the controls describe."""
        c = self.values()
        positive = c["positive_slns"]
        return AxillaCase(
            c["t_stage"],
            clinically_node_negative=c["clinically_node_negative"],
            surgery=c["surgery"],
            whole_breast_rt=c["whole_breast_rt"],
            positive_slns=None if positive == NOT_DONE else positive,
            largest_sln_category=DEPOSITS[c["deposit"]],
            tumour_size_mm=float(c["tumour_size_mm"]),
            axillary_ultrasound_negative=ULTRASOUND[c["ultrasound"]],
            neoadjuvant=c["neoadjuvant"],
            extranodal_extension=c["extranodal_extension"],
        )

    def draw(self, **_values) -> Frame:
        case = self.case()
        fits = assess(case)
        update_trial_timeline(self.timeline, {f.trial.name: f.fit for f in fits}, case.describe())
        matched = [f for f in fits if f.fit is Fit.MATCH]
        others = [f for f in fits if f.fit is not Fit.MATCH]
        items = "".join(
            f"<li><b>{html.escape(f.trial.name)}</b>: {html.escape(f.trial.question)} "
            f"{_first_result(f.trial)}</li>"
            for f in matched
        )
        outside = "".join(
            f"<li>{html.escape(f.trial.name)}: {html.escape((f.failed or f.unknown)[0])}</li>"
            for f in others
        )
        readout = (
            f"<p>{html.escape(case.describe())}</p>"
            f"<p><b>Trials whose recorded criteria this case meets ({len(matched)}):</b></p>"
            f"<ul>{items or '<li>none: the trials leave this case uncovered</li>'}</ul>"
            f"<details><summary>Why the other trials do not cover it, or cannot be checked "
            f"({len(others)})</summary>"
            f"<ul>{outside}</ul></details>"
            "<p><small>On the timeline: green, the case meets the trial's recorded criteria; "
            "amber, it cannot be checked (a result not entered, or a feature the recorded "
            "criteria do not address); grey, outside the trial's population. Evidence, not a "
            "recommendation: what each trial tested and found.</small></p>"
        )
        names = ", ".join(f.trial.name for f in matched) or "none"
        alt = (
            f"Timeline of eight axillary trials by year and question, from dissecting everyone "
            "to omitting surgery; trials whose recorded criteria the case meets are green: "
            f"{names}."
        )
        return Frame(readout, alt)


def trials_table_html() -> str:
    """Every trial: question, who was enrolled, arms and first registered result, with source."""
    rows = "".join(
        f"<tr><td><b>{html.escape(t.name)}</b></td><td>{html.escape(t.question)}</td>"
        f"<td>{html.escape(t.eligibility)}</td><td>{html.escape(' vs '.join(t.arms))}</td>"
        f"<td>{_first_result(t)}<br><small>{html.escape(_first_source(t))}</small></td></tr>"
        for t in TRIALS.values()
    )
    return (
        '<table class="mm-trials"><tr><th>Trial</th><th>Question</th><th>Who was enrolled</th>'
        f"<th>Arms</th><th>Key result</th></tr>{rows}</table>"
    )


def _first_source(trial) -> str:
    return fact((trial.results or trial.design)[0]).citation


def _first_result(trial) -> str:
    if not trial.results:
        return "<i>Results not yet registered here.</i>"
    return html.escape(fact(trial.results[0]).statement)


AMAROS_OUTCOMES = (
    ("amaros_lymphoedema_5y", "lymphoedema at 5 years"),
    ("amaros_axillary_recurrence_10y", "axillary recurrence at 10 years"),
    ("amaros_second_primary_10y", "second cancers at 10 years"),
)
ARM_COLOURS = {"axillary dissection": "#D55E00", "axillary radiotherapy": "#0072B2"}


class AmarosExplorer(Explorer):
    """AMAROS's two arms as 100 women each: lymphoedema, axillary recurrence, second cancers."""

    name = "amaros"
    figsize = (6.2, 2.6)

    def __init__(self):
        arms = w.ToggleButtons(
            options=list(ARM_COLOURS),
            value="axillary dissection",
            description="Treatment of the positive axilla",
        )
        arms.style.button_width = "170px"
        super().__init__({"arm": arms})

    def build(self, figure: Figure) -> list:
        axes = [figure.add_axes((0.02 + 0.33 * i, 0.02, 0.3, 0.85)) for i in range(3)]
        self.icons = draw_icon_arrays(axes, [title for _, title in AMAROS_OUTCOMES])
        return self.icons.moving

    def draw(self, arm: str) -> Frame:
        index = list(ARM_COLOURS).index(arm)  # registry values are (dissection, radiotherapy)
        percents = [fact(fact_id).value[index] for fact_id, _ in AMAROS_OUTCOMES]
        update_icon_arrays(self.icons, percents, ARM_COLOURS[arm])
        lines = "".join(
            f"<li>{html.escape(fact(fact_id).statement)}</li>" for fact_id, _ in AMAROS_OUTCOMES
        )
        readout = (
            f"<p><b>After {arm}</b>, of every 100 women: "
            + "; ".join(
                f"{p:g} with {t}" for p, (_, t) in zip(percents, AMAROS_OUTCOMES, strict=True)
            )
            + f".</p><ul>{lines}</ul>"
        )
        alt = (
            f"Three grids of 100 women after {arm} in AMAROS, filled for "
            + ", ".join(
                f"{t} ({p:g} in 100)" for p, (_, t) in zip(percents, AMAROS_OUTCOMES, strict=True)
            )
            + "."
        )
        return Frame(readout, alt)
