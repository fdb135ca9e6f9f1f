"""Input checks shared by the models: a clear error naming the field and the accepted range."""

from __future__ import annotations

import numbers


def check_int(x, name: str, low: int, high: int) -> int:
    """``x`` as an int, refused unless it is a whole number from ``low`` to ``high``."""
    if isinstance(x, bool) or not isinstance(x, numbers.Integral):
        raise TypeError(f"{name} must be a whole number from {low} to {high}, got {x!r}")
    if not low <= x <= high:
        raise ValueError(f"{name} must be a whole number from {low} to {high}, got {x}")
    return int(x)


def check_seed(seed) -> int | None:
    """A random seed: a whole number of 0 or more, or None for fresh randomness."""
    if seed is None:
        return None
    if isinstance(seed, bool) or not isinstance(seed, numbers.Integral):
        raise TypeError(f"seed must be a whole number (0 or more) or None, got {seed!r}")
    if seed < 0:
        raise ValueError(f"seed must be a whole number (0 or more) or None, got {seed}")
    return int(seed)
