"""Explorer update latency inside a real kernel: in-place explorers against the naive redraw.

For every explorer in ``micromet.widgets.EXPLORERS`` the script moves each control through a
sweep of values and times ``control.value = v`` (the whole update: artists, PNG, widget state).
In the same kernel it then drives a naive ``ipywidgets.interactive`` version of the same figure,
which builds a new pyplot figure on every change and shows it with the inline backend. Prints a
Markdown table.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile

from jupyter_client.manager import start_new_kernel

KERNEL_CODE = r"""
%matplotlib inline
import json, math, statistics, time
import matplotlib.pyplot as plt
import numpy as np
import ipywidgets as w
from micromet.widgets import EXPLORERS

STEPS = {steps}

def sweep(control):
    if isinstance(control.value, bool):
        return [i % 2 == 1 for i in range(STEPS)]
    if isinstance(control, w.FloatLogSlider):
        return list(control.base ** np.linspace(control.min, control.max, STEPS))
    if isinstance(control, (w.IntSlider, w.IntRangeSlider)):
        return [int(v) for v in np.linspace(control.min, control.max, STEPS)]
    if hasattr(control, "max"):
        return list(np.linspace(control.min, control.max, STEPS))
    options = _options(control)
    return [options[i % len(options)] for i in range(STEPS)]

def _options(control):
    return [o[1] if isinstance(o, tuple) else o for o in control.options]

def timed(controls):
    times = []
    for control in controls.values():
        start_value = control.value
        for value in sweep(control)[1:] + [start_value]:
            if control.disabled or hasattr(control, "options") and value not in _options(control):
                continue  # locked, or not offered in the current state (dependent choices)
            t = time.perf_counter()
            control.value = value
            times.append((time.perf_counter() - t) * 1000)
    return times

results = {{}}
for name, factory in EXPLORERS.items():
    explorer = factory()
    timed(explorer.controls)  # warm-up pass: fonts, caches
    in_place = timed(explorer.controls)

    twin = factory()
    for control in twin.controls.values():
        control.unobserve(twin._on_change, names="value")

    def naive(**values):
        figure = plt.figure(figsize=twin.figsize)
        twin.build(figure)
        twin.draw(**values)
        plt.show()

    demo = w.interactive(naive, **twin.controls)
    timed(twin.controls)
    results[name] = {{"in_place": in_place, "naive": timed(twin.controls)}}
print("RESULTS" + json.dumps(results))
"""


def run(steps: int) -> dict:
    """Run the sweep in a fresh kernel and return the per-update times in ms, by explorer."""
    with tempfile.TemporaryDirectory() as home:
        env = dict(os.environ, MPLCONFIGDIR=home, IPYTHONDIR=home, JUPYTER_RUNTIME_DIR=home)
        manager, client = start_new_kernel(kernel_name="python3", env=env)
        chunks: list[str] = []

        def collect(msg):
            if msg["msg_type"] == "stream":
                chunks.append(msg["content"]["text"])
            elif msg["msg_type"] == "error":
                chunks.append("\n".join(msg["content"]["traceback"]))

        try:
            reply = client.execute_interactive(
                KERNEL_CODE.format(steps=steps), output_hook=collect, timeout=900
            )
        finally:
            client.stop_channels()
            manager.shutdown_kernel(now=True)
    text = "".join(chunks)
    if reply["content"]["status"] != "ok" or "RESULTS" not in text:
        sys.exit("the benchmark failed in the kernel:\n" + text)
    return json.loads(text.split("RESULTS", 1)[1])


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def table(results: dict) -> str:
    """Median and p95 per explorer, in place and naive, with the ratio of the medians."""
    rows = [
        "| explorer | updates | in place median | in place p95 | naive median | naive p95 "
        "| ratio |",
        "|---|---|---|---|---|---|---|",
    ]
    for name, times in results.items():
        fast, slow = times["in_place"], times["naive"]
        fast_median, slow_median = _percentile(fast, 0.5), _percentile(slow, 0.5)
        rows.append(
            f"| {name} | {len(fast)} | {fast_median:.1f} ms | {_percentile(fast, 0.95):.1f} ms "
            f"| {slow_median:.1f} ms | {_percentile(slow, 0.95):.1f} ms "
            f"| {slow_median / fast_median:.1f}x |"
        )
    return "\n".join(rows)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=31, help="values per control (default 31)")
    parser.add_argument("--target-ms", type=float, default=30.0, help="median target per update")
    args = parser.parse_args()
    results = run(args.steps)
    print(table(results))
    slow = [n for n, t in results.items() if _percentile(t["in_place"], 0.5) > args.target_ms]
    print(f"\nTarget: median <= {args.target_ms:g} ms per update inside the kernel.")
    print("Every explorer meets it." if not slow else f"Over target: {', '.join(slow)}")


if __name__ == "__main__":
    main()
