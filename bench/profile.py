"""`--profile`: py-spy records a server from outside while it is under load, and a summary of the result.

py-spy writes collapsed stacks (`--format raw`): one line per distinct stack, frames from the outermost
to the innermost separated by ";", then the number of samples. `summarise` reads that text only, so it
is tested without py-spy.
"""
from __future__ import annotations

import re
import subprocess
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from bench.servers import BIN, base_env

# With --subprocesses every stack starts with `process PID:"command line"` frames (one per ancestor).
PROCESS_FRAME = re.compile(r'process \d+:"[^"]*";')
LINE_NUMBER = re.compile(r":\d+\)$")


def start_recording(pid: int, output: Path, seconds: int, log: Path, rate: int = 100) -> subprocess.Popen:
    """py-spy on `pid` and its children for `seconds`; writes collapsed stacks to `output`, its messages to `log`."""
    output.parent.mkdir(parents=True, exist_ok=True)
    with log.open("w") as out:
        return subprocess.Popen(
            [str(BIN / "py-spy"), "record", "--pid", str(pid), "--subprocesses", "--rate", str(rate),
             "--format", "raw", "--duration", str(seconds), "--output", str(output)],
            env=base_env(), stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)


def function_of(frame: str) -> str:
    """`validate (jsonschema/validators.py:1080)` -> `validate (jsonschema/validators.py)`: one row per function."""
    return LINE_NUMBER.sub(")", frame.strip())


@dataclass
class Summary:
    samples: int
    total: list[tuple[str, float]]  # function, % of samples with it anywhere on the stack (inclusive)
    own: list[tuple[str, float]]  # function, % of samples with it innermost (self time)
    trunk: int = 0  # functions on every sampled stack (main, the server loop...), left out of `total`

    def as_dict(self) -> dict:
        return {"samples": self.samples, "top_total": [[f, p] for f, p in self.total],
                "top_self": [[f, p] for f, p in self.own], "trunk_functions": self.trunk}


def summarise(collapsed: str, top: int = 25) -> Summary:
    """The `top` functions by inclusive and by self time, as percentages of all samples.

    Functions on every stack (the trunk: `<module>`, `main`, the server's run loop) would fill the top of
    the inclusive list at 100% and say nothing: they are counted, not listed.
    """
    total, own, samples = Counter(), Counter(), 0
    for line in collapsed.splitlines():
        stack, _, count = line.strip().rpartition(" ")
        if not stack or not count.isdigit():
            continue
        frames = [function_of(f) for f in PROCESS_FRAME.sub("", stack).split(";") if f.strip()]
        if not frames:
            continue
        samples += int(count)
        own[frames[-1]] += int(count)
        for function in set(frames):  # a recursive function counts once per sample
            total[function] += int(count)

    def ranked(counter: Counter) -> list[tuple[str, float]]:
        most = sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))[:top]  # ties in name order: stable output
        return [(function, round(100 * n / samples, 1)) for function, n in most]

    if not samples:
        return Summary(0, [], [])
    trunk = {function for function, count in total.items() if count == samples}
    listed = Counter({function: n for function, n in total.items() if function not in trunk})
    return Summary(samples, ranked(listed), ranked(own), len(trunk))


def render(title: str, summary: Summary) -> str:
    """Both top lists, one after the other, for a terminal."""
    if not summary.samples:
        return f"{title}: no samples"
    trunk = f"; {summary.trunk} functions on every stack not listed" if summary.trunk else ""
    lines = [f"{title}: {summary.samples} samples{trunk}"]
    for heading, rows in (("by total (inclusive) time", summary.total), ("by self time", summary.own)):
        lines.append(f"  top {len(rows)} {heading}:")
        lines.extend(f"    {share:5.1f}%  {function}" for function, share in rows)
    return "\n".join(lines)
