"""PREDICT explorers: survival with and without each treatment, and one patient by node status."""

from __future__ import annotations

import html

import ipywidgets as w
import numpy as np
from matplotlib.figure import Figure

from micromet.adjuvant import predict_node_input
from micromet.diagrams.survival import (
    YEARS,
    draw_node_state_chart,
    draw_survival_chart,
    update_node_state_chart,
    update_survival_chart,
)
from micromet.predict import MAX_AGE, MIN_AGE, predict_many
from micromet.widgets.explorer import Explorer, Frame

MICRO_ONLY = -1
"""Code of the 'one node, micrometastases only' choice in the nodes control."""
UNKNOWN = "unknown"
TRI_STATE = {"positive": True, "negative": False, UNKNOWN: None}
SCREEN = {"screening": True, "symptoms": False, UNKNOWN: None}
GRADES = {"1": 1, "2": 2, "3": 3, UNKNOWN: None}
STEPS = ("hormone", "chemo", "trastuzumab", "bisphosphonates")
TREATMENT_NAMES = {
    "hormone": "hormone therapy",
    "chemo2": "2nd-generation chemotherapy",
    "chemo3": "3rd-generation chemotherapy",
    "trastuzumab": "trastuzumab",
    "bisphosphonates": "bisphosphonates",
}
"""The web tool's stacking order of treatments."""


def _tumour_controls(wide: w.Layout) -> dict[str, w.ValueWidget]:
    """The controls both explorers share: age, size, grade, ER and HER2."""
    return {
        "age": w.IntSlider(
            value=60, min=MIN_AGE, max=MAX_AGE, description="Age (years)", layout=wide
        ),
        "size_mm": w.IntSlider(
            value=20, min=1, max=100, description="Tumour size (mm)", layout=wide
        ),
        "grade": w.Dropdown(options=list(GRADES), value="2", description="Grade", layout=wide),
        "er": w.ToggleButtons(
            options=list(TRI_STATE)[:2], value="positive", description="Oestrogen receptor"
        ),
        "her2": w.Dropdown(
            options=list(TRI_STATE), value="negative", description="HER2", layout=wide
        ),
        "post_menopausal": w.Checkbox(value=True, description="Post-menopausal"),
    }


def _treatment_sets(
    er_positive: bool, her2: bool | None, chemo: str, post_menopausal: bool
) -> dict[str, tuple]:
    """Cumulative treatment sets in stacking order; steps that cannot apply are left out
    (hormone therapy without ER, trastuzumab without HER2, bisphosphonates before the menopause,
    as the web tool offers them)."""
    sets, given = {"surgery only": ()}, ()
    for step in STEPS:
        if (
            step == "hormone"
            and not er_positive
            or step == "trastuzumab"
            and her2 is not True
            or step == "bisphosphonates"
            and not post_menopausal
        ):
            continue
        given = (*given, chemo if step == "chemo" else step)
        sets[step] = given
    return sets


class PredictExplorer(Explorer):
    """PREDICT v2.1 inputs → survival to 15 years with each treatment, and the stacked benefits."""

    name = "predict"
    figsize = (6.4, 3.2)

    def __init__(self):
        wide = w.Layout(width="520px")
        controls = _tumour_controls(wide)
        controls |= {
            "nodes": w.Dropdown(
                options=[("0", 0), ("1, micrometastases only", MICRO_ONLY)]
                + [(str(n), n) for n in range(1, 11)],
                value=0,
                description="Positive nodes",
                layout=wide,
            ),
            "ki67": w.Dropdown(
                options=list(TRI_STATE), value=UNKNOWN, description="Ki-67 (>10%)", layout=wide
            ),
            "screen": w.Dropdown(
                options=list(SCREEN), value=UNKNOWN, description="Found by", layout=wide
            ),
            "chemo": w.ToggleButtons(
                options=[("2nd generation", "chemo2"), ("3rd generation", "chemo3")],
                value="chemo3",
                description="Chemotherapy",
            ),
            "year": w.IntSlider(
                value=10, min=1, max=15, description="Benefits at year", layout=wide
            ),
        }
        super().__init__(controls)

    def build(self, figure: Figure) -> list:
        self.chart = draw_survival_chart(
            figure.add_axes((0.09, 0.14, 0.6, 0.82)), figure.add_axes((0.76, 0.14, 0.14, 0.82))
        )
        return self.chart.moving

    def draw(
        self, age, size_mm, grade, er, her2, post_menopausal, nodes, ki67, screen, chemo, year
    ) -> Frame:
        er_positive, her2_status = er == "positive", TRI_STATE[her2]
        result = predict_many(
            age,
            size_mm,
            GRADES[grade],
            1 if nodes == MICRO_ONLY else nodes,
            micromets_only=nodes == MICRO_ONLY,
            er_positive=er_positive,
            her2=her2_status,
            ki67=TRI_STATE[ki67],
            screen_detected=SCREEN[screen],
        )
        sets = _treatment_sets(er_positive, her2_status, chemo, post_menopausal)
        curves = {
            name: np.ravel(result.overall_survival(YEARS, treatments=t)) for name, t in sets.items()
        }
        update_survival_chart(self.chart, curves, year)
        alive = {name: 100 * c[year] for name, c in curves.items()}
        base = alive["surgery only"]
        deaths = 100 * float(np.ravel(result.breast_cancer_deaths(year))[0])
        steps = list(alive.items())
        rows = "".join(
            f"<tr><td>+ {html.escape(name)}</td><td>{value:.1f}%</td>"
            f"<td>+{value - steps[i][1]:.1f}</td></tr>"
            for i, (name, value) in enumerate(steps[1:])
        )
        node_text = {
            MICRO_ONLY: "1 node with micrometastases only",
            0: "node-negative",
            1: "1 positive node",
        }.get(nodes, f"{nodes} positive nodes")
        readout = (
            f"<p>{age} years, {size_mm} mm, grade {grade}, ER-{er}, HER2 {her2}, Ki-67 {ki67}, "
            f"detection: {screen}, {node_text}.</p>"
            f"<p><b>At {year} year{'s' if year > 1 else ''}</b>: {base:.1f}% alive after surgery "
            "alone; "
            f"{deaths:.1f}% would have died of breast cancer.</p>"
            "<table><tr><th>adding</th><th>alive</th><th>benefit (points)</th></tr>"
            f"{rows}</table>"
            "<p><small>PREDICT v2.1, implemented for teaching. Hormone therapy applies to "
            "ER-positive and trastuzumab to HER2-positive disease; bisphosphonates are offered "
            "to post-menopausal women only. Clinicians use the official PREDICT tool."
            "</small></p>"
        )
        if not er_positive and grade == UNKNOWN:
            readout += (
                "<p><small><b>Note:</b> for ER-negative tumours PREDICT v2.1 scores an unknown "
                "grade like grade 1, which looks more favourable than grade 2 or 3.</small></p>"
            )
        alt = (
            f"Survival curves to 15 years for a {age}-year-old with a {size_mm} mm, grade {grade}, "
            f"ER-{er} tumour, {node_text}: {base:.0f}% alive at {year} years after surgery "
            f"alone, {max(alive.values()):.0f}% with every treatment shown; a stacked bar splits "
            "the benefit by treatment."
        )
        return Frame(readout, alt)


NODE_STATES = (
    ("no metastasis", "pN0", None),
    ("isolated tumour cells", "pN0(i+)", None),
    ("micrometastasis only (1 node)", "pN1mi", None),
    ("1 node", "pN1a", 1),
    ("4 nodes", "pN2a", 4),
)
"""Nodal findings compared: label, pN category and number of positive nodes."""


class NodeStatusExplorer(Explorer):
    """The same patient with each nodal finding: survival without and with treatment."""

    name = "node_status"
    figsize = (6.2, 3.0)

    def __init__(self):
        wide = w.Layout(width="520px")
        controls = _tumour_controls(wide)
        controls["year"] = w.IntSlider(
            value=10, min=1, max=15, description="Survival at year", layout=wide
        )
        super().__init__(controls)

    def build(self, figure: Figure) -> list:
        labels = [name.replace(" (", "\n(") for name, _, _ in NODE_STATES]
        self.chart = draw_node_state_chart(figure.add_axes((0.1, 0.2, 0.88, 0.68)), labels)
        return self.chart.moving

    def draw(self, age, size_mm, grade, er, her2, post_menopausal, year) -> Frame:
        inputs = [predict_node_input(stage, count) for _, stage, count in NODE_STATES]
        er_positive, her2_status = er == "positive", TRI_STATE[her2]
        result = predict_many(
            age,
            size_mm,
            GRADES[grade],
            np.array([i["nodes"] for i in inputs]),
            micromets_only=np.array([i["micromets_only"] for i in inputs]),
            er_positive=er_positive,
            her2=her2_status,
        )
        treatments = _treatment_sets(er_positive, her2_status, "chemo3", post_menopausal)
        everything = list(treatments.values())[-1]
        untreated = np.ravel(result.overall_survival(year))
        treated = np.ravel(result.overall_survival(year, treatments=everything))
        update_node_state_chart(self.chart, untreated, treated)
        given = ", ".join(TREATMENT_NAMES[t] for t in everything)
        rows = "".join(
            f"<tr><td>{html.escape(name)}</td><td>{100 * u:.1f}%</td><td>{100 * t:.1f}%</td></tr>"
            for (name, _, _), u, t in zip(NODE_STATES, untreated, treated, strict=True)
        )
        readout = (
            f"<p><b>Alive at {year} years</b>, same tumour, each nodal finding:</p>"
            "<table><tr><th>nodes</th><th>surgery only</th><th>with treatment</th></tr>"
            f"{rows}</table>"
            f"<p><small>With treatment: {html.escape(given)}. PREDICT has no "
            "input for isolated tumour cells, so they count as node-negative; one node with "
            "micrometastases only counts as half a node.</small></p>"
        )
        alt = (
            f"Bar chart of survival at {year} years for one patient under five nodal findings, "
            "from no metastasis to 4 nodes, each without and with treatment: "
            + ", ".join(
                f"{name} {100 * u:.0f}% and {100 * t:.0f}%"
                for (name, _, _), u, t in zip(NODE_STATES, untreated, treated, strict=True)
            )
            + "."
        )
        return Frame(readout, alt)
