"""CPU time over a round's measured window: of each of a bot's roles (its Rasa servers, its action
server, with their children), of the PostgreSQL and Redis servers it uses, of the load generator (this
process), and of the whole machine. Divided by the messages answered in that window, it is what one
message costs, whatever the concurrency: the basis of "how many servers for a given rate".

From /proc: utime + stime of each process (/proc/PID/stat), and the machine's non-idle time
(/proc/stat). A process that ended during the window takes its time with it (Rasa's servers don't).
"""
from __future__ import annotations

import os
import time
from typing import Mapping, Optional

from bench.servers import _children

TICKS = os.sysconf("SC_CLK_TCK")
BOT_ROLES = ("rasa", "actions")  # what "bot" sums: the bot's own processes, not the services


def process_cpu_s(pid: int) -> Optional[float]:
    """User + system CPU seconds of one process (its threads included), or None once it is gone."""
    try:
        with open(f"/proc/{pid}/stat") as stat:
            fields = stat.read().rsplit(")", 1)[1].split()  # the name may hold spaces
        return (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime: fields 14 and 15
    except (OSError, IndexError, ValueError):
        return None


def tree_cpu_s(roots: list[int], tree: Mapping[int, list[int]]) -> float:
    """The CPU seconds of every process in the trees under `roots` (tree: parent -> children)."""
    total, pids, seen = 0.0, list(roots), set()
    while pids:
        pid = pids.pop()
        if pid in seen:
            continue
        seen.add(pid)
        pids.extend(tree.get(pid, []))
        total += process_cpu_s(pid) or 0.0
    return total


def machine_busy_s(stat_text: Optional[str] = None) -> float:
    """Non-idle CPU seconds of the whole machine, summed over its cores, since boot (the "cpu" line of
    /proc/stat: user nice system idle iowait irq softirq steal...; idle and iowait are not busy)."""
    if stat_text is None:
        with open("/proc/stat") as stat:
            stat_text = stat.readline()
    values = [int(value) for value in stat_text.split()[1:9]]
    values += [0] * (8 - len(values))
    user, nice, system, idle, iowait, irq, softirq, steal = values
    return (user + nice + system + irq + softirq + steal) / TICKS


def snapshot(groups: Mapping[str, list[int]]) -> dict[str, float]:
    """Cumulative CPU seconds now: each group of process trees, "load" (this process) and "machine"."""
    tree = _children()
    found = {name: tree_cpu_s(pids, tree) for name, pids in groups.items()}
    found["load"] = time.process_time()
    found["machine"] = machine_busy_s()
    return found


def used(before: Mapping[str, float], after: Mapping[str, float]) -> dict[str, float]:
    """CPU seconds spent between two snapshots, per key."""
    return {key: round(max(0.0, after[key] - before[key]), 3) for key in after if key in before}


def per_message(cpu_s: Mapping[str, float], messages: int) -> dict[str, Optional[float]]:
    """CPU milliseconds per answered message, per key, plus "bot" (Rasa and the action server together)
    and "other": the machine's time that none of the others account for (the bots not under load, the
    kernel, anything else running on the machine: a large figure means the round was disturbed)."""
    if not messages:
        return {}
    found = {key: round(seconds * 1000 / messages, 2) for key, seconds in cpu_s.items()}
    if any(role in cpu_s for role in BOT_ROLES):
        found["bot"] = round(sum(cpu_s.get(role, 0.0) for role in BOT_ROLES) * 1000 / messages, 2)
    if "machine" in cpu_s:
        known = sum(seconds for key, seconds in cpu_s.items() if key != "machine")
        found["other"] = round(max(0.0, cpu_s["machine"] - known) * 1000 / messages, 2)
    return found
