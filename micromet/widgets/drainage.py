"""Sentinel node explorers: one virtual patient's lymphatic map, and a cohort's false negatives."""

from __future__ import annotations

import html
from functools import lru_cache

import ipywidgets as w
from matplotlib.figure import Figure

from micromet.diagrams.drainage import (
    draw_false_negative_chart,
    draw_lymphatic_map,
    update_false_negative_chart,
    update_lymphatic_map,
)
from micromet.drainage import NODES, QUADRANTS, Tracer, locate, simulate_cohort
from micromet.evidence import value
from micromet.widgets.explorer import Explorer, Frame

QUADRANT_NAMES = {
    "UOQ": "upper outer",
    "LOQ": "lower outer",
    "UIQ": "upper inner",
    "LIQ": "lower inner",
    "central": "central (behind the nipple)",
}
TRACERS = [(tracer.label, tracer.value) for tracer in Tracer]
STEPS = (
    "1. Tracer injected next to the tumour",
    "2. It travels along the lymph vessels",
    "3. The first nodes it reaches light up: the sentinel nodes",
    "4. The surgeon removes the marked nodes",
)
PATIENTS = 60


class DrainageExplorer(Explorer):
    """Tumour location, tracer and a virtual patient → where the tracer goes, step by step."""

    name = "drainage"
    figsize = (5.2, 5.4)

    def __init__(self, location: str = "UOQ", tracer: str = "dual", patient: int = 2):
        wide = w.Layout(width="520px")
        step = w.IntSlider(
            value=len(STEPS) - 1, min=0, max=len(STEPS) - 1, description="Step", layout=wide
        )
        self.play = w.Play(
            value=step.value, min=0, max=len(STEPS) - 1, interval=900, description="Play the steps"
        )
        w.jslink((self.play, "value"), (step, "value"))
        controls = {
            "location": w.Dropdown(
                options=[
                    (QUADRANT_NAMES[q] + ("" if q == "central" else f" ({q})"), q)
                    for q in QUADRANTS
                ],
                value=location,
                description="Tumour in quadrant",
                layout=wide,
            ),
            "tracer": w.Dropdown(options=TRACERS, value=tracer, description="Tracer", layout=wide),
            "patient": w.IntSlider(
                value=patient, min=1, max=PATIENTS, description="Virtual patient", layout=wide
            ),
            "step": step,
        }
        super().__init__(controls, extras=[self.play])

    def build(self, figure: Figure) -> list:
        self.map = draw_lymphatic_map(figure.add_axes((0.0, 0.0, 1.0, 1.0)))
        return self.map.moving

    def draw(self, location: str, tracer: str, patient: int, step: int) -> Frame:
        person = _patient(location, tracer, patient)
        site = locate(location)
        metastasis = int(person.metastasis_node[0])
        first, marked, removed = person.first_echelon[0], person.marked[0], person.removed[0]
        update_lymphatic_map(
            self.map,
            site.xy,
            first_echelon=first,
            marked=marked,
            removed=removed,
            metastasis=metastasis,
            step=step,
            caption=f"{STEPS[step]}\ntracer: {Tracer(tracer).label}",
        )
        tracer_kind = Tracer(tracer)
        im_share = 100 * site.im_drainage
        story = (
            _story(person, first, marked, removed, metastasis)
            if step == len(STEPS) - 1
            else ("<p><i>Press play, or move Step to the end, to see what is removed.</i></p>")
        )
        readout = (
            f"<p><b>{html.escape(QUADRANT_NAMES[location].capitalize())} tumour.</b> In "
            f"lymphoscintigraphy, {im_share:.0f}% of such tumours also drained to the internal "
            f"mammary nodes; almost all drained to the axilla.</p>"
            f"<p><b>{html.escape(tracer_kind.label.capitalize())}</b> finds a sentinel node in "
            f"{100 * tracer_kind.identification_rate:.0f}% of patients.</p>"
            f"<p><b>Virtual patient {patient}</b></p>{story}"
            "<p><small>Blue: nodes the tracer marks. Green ring: removed. Orange: metastasis. "
            "Star: the tumour.</small></p>"
        )
        alt = (
            "Schematic of a left breast with the axilla: a tumour in the "
            f"{QUADRANT_NAMES[location]} quadrant, "
            f"{tracer_kind.label} at step {step + 1} of {len(STEPS)}: {STEPS[step][3:]}. "
            + (f"{_plain(_count(marked), 'node')} marked by the tracer." if step >= 2 else "")
        )
        return Frame(readout, alt)


@lru_cache(maxsize=512)
def _patient(location: str, tracer: str, patient: int):
    """One virtual patient; the number is the seed, so the same patient always comes back."""
    return simulate_cohort(1, tumour_location=location, tracer=tracer, seed=patient)


def _count(mask) -> int:
    return int(sum(bool(m) for m in mask))


def _plain(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _story(person, first, marked, removed, metastasis: int) -> str:
    """What happened to this patient, in plain sentences."""
    lines = [f"Lymph from the tumour drained first to {_plain(_count(first), 'node')}."]
    if person.mapping_failed[0]:
        lines.append(
            "The tracer marked no axillary node: mapping failed, so there is no sentinel node "
            "to examine and the axilla has not been assessed."
        )
    else:
        internal = sum(
            bool(m) and NODES[i].station == "internal_mammary" for i, m in enumerate(marked)
        )
        also = (
            f" It also showed {_plain(internal, 'internal mammary node')}, left in place as in "
            "the validation trials."
            if internal
            else ""
        )
        lines.append(
            f"The tracer marked {_plain(_count(marked) - internal, 'axillary node')}; the surgeon "
            f"removed {_plain(_count(removed), 'sentinel node')}.{also}"
        )
    if metastasis < 0:
        lines.append(
            "This patient had no lymph node metastasis."
            + ("" if person.mapping_failed[0] else " The biopsy is rightly negative.")
        )
    elif person.mapping_failed[0]:
        lines.append(f"A metastasis (orange) sat in the {NODES[metastasis].name} node.")
    elif removed[metastasis]:
        lines.append(
            f"The metastasis (orange) was in the {NODES[metastasis].name} node, which "
            "was removed: the biopsy finds it."
        )
    else:
        lines.append(
            f"The metastasis (orange) was in the {NODES[metastasis].name} node, which "
            "was <b>not</b> removed: a <b>false negative</b>."
        )
    return "".join(f"<p>{line}</p>" for line in lines)


COHORT = 100_000
COHORT_TRACERS = [
    ("dual (radiocolloid + blue dye): calibrated", "dual"),
    ("blue dye alone: model extrapolation", "blue_dye"),
    ("radiocolloid alone: model extrapolation", "radiocolloid"),
]
"""Tracers for the cohort: the model was calibrated with dual mapping; no verified
false-negative rate by tracer is registered, so the others are labelled as extrapolations."""
NO_LIMIT = 0


class CohortExplorer(Explorer):
    """Tracer, nodes removed and neoadjuvant therapy → false-negative rate next to the published."""

    name = "cohort"
    figsize = (5.6, 3.4)

    def __init__(self, tracer: str = "dual", max_slns: int = NO_LIMIT, neoadjuvant: bool = False):
        wide = w.Layout(width="560px")
        controls = {
            "tracer": w.Dropdown(
                options=COHORT_TRACERS, value=tracer, description="Tracer", layout=wide
            ),
            "max_slns": w.Dropdown(
                options=[("as many as the tracer marks", NO_LIMIT)]
                + [(f"at most {k}", k) for k in range(1, 5)],
                value=max_slns,
                description="Sentinel nodes removed",
                layout=wide,
            ),
            "neoadjuvant": w.Checkbox(
                value=neoadjuvant, description="After neoadjuvant chemotherapy"
            ),
        }
        super().__init__(controls)

    def build(self, figure: Figure) -> list:
        self.chart = draw_false_negative_chart(
            figure.add_axes((0.11, 0.15, 0.86, 0.8)), tuple(value("trials_fnr_range"))
        )
        return self.chart.moving

    def draw(self, tracer: str, max_slns: int, neoadjuvant: bool) -> Frame:
        summary = _cohort(tracer, max_slns, neoadjuvant)
        if neoadjuvant:
            one, two, three_or_more = value("z1071_fnr_by_slns")
            marks, series = [one, two, three_or_more, three_or_more], "ACOSOG Z1071"
        else:
            marks, series = value("han_fnr_by_slns"), "Han et al."
        update_false_negative_chart(
            self.chart, summary["by_nodes"], summary["fnr"], marks, show_trial_range=not neoadjuvant
        )
        low, high = summary["ci"]
        missed, positive = summary["counts"]
        if neoadjuvant:
            by_number = ", ".join(
                f"{rate}% with {n}"
                for rate, n in zip(value("z1071_fnr_by_slns"), ("1", "2", "3 or more"), strict=True)
            )
            published = (
                f"Published after neoadjuvant chemotherapy (ACOSOG Z1071): {value('z1071_fnr')}% "
                f"with 2 or more nodes; {by_number} (the last is shown at both 3 and ≥4)."
            )
        else:
            (b32_missed, b32_positive), (all_missed, all_positive) = (
                value("b32_slnb_false_negatives"),
                value("trials_false_negatives"),
            )
            published = (
                f"Published: NSABP B-32 {b32_missed}/{b32_positive} "
                f"({100 * b32_missed / b32_positive:.1f}%); the four large trials together "
                f"{all_missed}/{all_positive:,} ({100 * all_missed / all_positive:.1f}%)."
            )
        readout = (
            f"<p><b>{COHORT:,} virtual patients</b>, "
            f"{html.escape(Tracer(tracer).label)}"
            f"{', after neoadjuvant chemotherapy' if neoadjuvant else ''}.</p>"
            f"<p>A sentinel node was found in <b>{100 * summary['identified']:.1f}%</b>.</p>"
            f"<p>False-negative rate: <b>{100 * summary['fnr']:.1f}%</b> "
            f"(95% CI {100 * low:.1f}-{100 * high:.1f}%): the biopsy missed the metastases of "
            f"{missed:,} of {positive:,} node-positive patients whose mapping worked.</p>"
            f"<p><small>{html.escape(published)} The diamonds are the published rates by number "
            f"of nodes ({series}); the bars are this model's.</small></p>"
        )
        if tracer != "dual":
            readout += (
                "<p><small><b>Model extrapolation:</b> the model was calibrated with dual "
                "mapping; no verified false-negative rate by tracer is registered, so this "
                "tracer's rate shows the model's assumption, not data.</small></p>"
            )
        if neoadjuvant:
            readout += (
                "<p><small>The model's overall rate includes patients with a single node "
                "removed; Z1071's 12.6% counts only those with 2 or more.</small></p>"
            )
        alt = (
            f"Bar chart of the model's false-negative rate by number of sentinel nodes removed "
            f"(1, 2, 3, 4 or more) with 95% confidence intervals, next to the published rates; "
            f"overall {100 * summary['fnr']:.1f}%."
        )
        return Frame(readout, alt)


@lru_cache(maxsize=128)
def _cohort(tracer: str, max_slns: int, neoadjuvant: bool) -> dict:
    """Summaries of one simulated cohort; cached, since a class moves between few settings."""
    result = simulate_cohort(
        COHORT, tracer=tracer, max_slns=max_slns or None, neoadjuvant=neoadjuvant, seed=0
    )
    return {
        "by_nodes": {str(k): v for k, v in result.fnr_by_nodes_removed().items()},
        "fnr": result.false_negative_rate,
        "ci": result.false_negative_ci,
        "counts": result.false_negative_counts,
        "identified": result.identification_rate,
    }
