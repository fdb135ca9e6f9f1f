"""Every set of colours a figure uses to tell things apart stays distinguishable under the common
colour-vision deficiencies (Machado 2009 simulation, CIEDE2000 colour difference)."""

import itertools
import warnings

import colour  # colour-science: maintained colour-vision simulation and colour differences
import numpy as np
import pytest

from micromet.diagrams.palette import CATEGORY_COLOURS
from micromet.diagrams.survival import TREATMENT_COLOURS
from micromet.diagrams.trials import FIT_COLOURS
from micromet.widgets.axilla import ARM_COLOURS

PALETTES = {
    "deposit categories": CATEGORY_COLOURS,
    "treatments": TREATMENT_COLOURS,
    "trial fits": FIT_COLOURS,
    "AMAROS arms": ARM_COLOURS,
}
VISION = ["Normal", "Protanomaly", "Deuteranomaly", "Tritanomaly"]
MIN_DELTA_E = 10.0
"""CIEDE2000 difference every pair keeps: clearly distinct side by side (about 2.3 is 'just
noticeable')."""


def _rgb(hex_colour: str) -> np.ndarray:
    return np.array([int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)])


def _seen(hex_colour: str, vision: str) -> np.ndarray:
    """The colour as seen with a full-severity deficiency, in CIE L*a*b*."""
    linear = colour.models.eotf_sRGB(_rgb(hex_colour))
    if vision != "Normal":
        linear = np.clip(colour.blindness.matrix_cvd_Machado2009(vision, 1.0) @ linear, 0, 1)
    srgb = colour.models.eotf_inverse_sRGB(linear)
    return colour.XYZ_to_Lab(colour.sRGB_to_XYZ(srgb))


@pytest.mark.parametrize("vision", VISION)
@pytest.mark.parametrize("name", sorted(PALETTES))
def test_palette_colours_stay_distinct(name, vision):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # colour-science notes its optional SciPy features
        seen = {str(key): _seen(value, vision) for key, value in PALETTES[name].items()}
        worst = min(
            (float(colour.delta_E(seen[a], seen[b], method="CIE 2000")), a, b)
            for a, b in itertools.combinations(seen, 2)
        )
    assert worst[0] >= MIN_DELTA_E, f"{name} under {vision}: {worst[1]} vs {worst[2]}"
