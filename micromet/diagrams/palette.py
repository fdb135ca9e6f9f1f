"""One colour-blind-safe palette (Okabe and Ito) for every figure, on explicit backgrounds."""

from micromet.staging import DepositCategory

BACKGROUND = "#ffffff"
INK = "#1a1a1a"
MUTED = "#6b6b6b"
NODE_FILL = "#f3e6d3"
NODE_EDGE = "#8c6d46"

CATEGORY_COLOURS = {
    DepositCategory.ITC: "#56B4E9",  # sky blue
    DepositCategory.MICRO: "#E69F00",  # orange
    DepositCategory.MACRO: "#D55E00",  # vermillion
}
"""Deposit categories, distinguishable under the common colour-vision deficiencies."""

ACCENT = "#0072B2"  # blue: markers and highlights
