"""Digital maturity: a profile of dimensions scored 0-4, and the overall level L1-L4 it gives.

Rules (data/maturity.yml): in each dimension a business system counts 3 and each everyday tool 1,
everyday tools 2 at most, the score 4 at most. So a score of 3 or more means a business system runs
that part of the firm, and every tool or step added raises a score until it is 4. The level counts
the core dimensions that run on a business system: L1 none, L2 one, L3 two or more, L4 all of them
plus the data dimension.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Iterable

from bot.advice.replies import Replies
from bot.yaml_source import DataError, line_of, load_yaml, localised

MAX_SCORE = 4
SYSTEM_POINTS = 3  # one business system makes a dimension digital on its own
BASICS_CAP = 2  # everyday tools alone never make a dimension digital


@dataclass(frozen=True)
class Level:
    number: int
    name: str
    meaning: str

    def one_line(self, replies: Replies) -> str:
        """'L2 One area digital: one part of ...' (二级 单项业务数字化（...）): the reply `level_line` joins
        name and meaning, since their punctuation differs between languages."""
        return replies.text("level_line", name=self.name, meaning=self.meaning)


@dataclass(frozen=True)
class Dimension:
    key: str
    name: str  # in the model's language: "Customers and sales", "客户与销售"
    systems: frozenset[str]
    basics: frozenset[str]

    def score(self, tools: Iterable[str]) -> int:
        tools = set(tools)
        points = SYSTEM_POINTS * len(self.systems & tools) + min(BASICS_CAP, len(self.basics & tools))
        return min(MAX_SCORE, points)


@dataclass(frozen=True)
class MaturityModel:
    levels: dict[int, Level]
    dimensions: tuple[Dimension, ...]
    core: tuple[str, ...]  # the dimensions whose coverage sets the level
    data_dimension: str  # needed at `digital_at` too for L4
    digital_at: int = SYSTEM_POINTS

    def scores(self, tools: Iterable[str]) -> dict[str, int]:
        """Each dimension's score, in the model's order."""
        tools = frozenset(tools)
        return {d.key: d.score(tools) for d in self.dimensions}

    def level_of(self, scores: dict[str, int]) -> Level:
        covered = sum(1 for key in self.core if scores.get(key, 0) >= self.digital_at)
        if covered == len(self.core) and scores.get(self.data_dimension, 0) >= self.digital_at:
            return self.levels[4]
        return self.levels[3 if covered >= 2 else 1 + covered]

    def assess(self, tools: Iterable[str]) -> Level:
        return self.level_of(self.scores(tools))

    def dimension(self, key: str) -> Dimension | None:
        return next((d for d in self.dimensions if d.key == key), None)

    def biggest_lift(self, before: Iterable[str], added: Iterable[str]) -> tuple[Dimension, int, int] | None:
        """(dimension, score before, score after) where adding the tools `added` raises a score most;
        None when they raise none. Ties go to the dimension listed first."""
        before = frozenset(before)
        old, new = self.scores(before), self.scores(before | frozenset(added))
        lifts = [(new[d.key] - old[d.key], -i, d) for i, d in enumerate(self.dimensions) if new[d.key] > old[d.key]]
        if not lifts:
            return None
        _, _, best = max(lifts, key=lambda lift: lift[:2])
        return best, old[best.key], new[best.key]


def load_maturity(path: Path, known_tools: set[str], language: str = "en") -> MaturityModel:
    """The maturity model with names in `language` (`name_zh`, `meaning_zh`; English where missing)."""
    doc = load_yaml(path)
    if not isinstance(doc, dict):
        raise DataError(path, None, "expected `levels`, `dimensions` and `overall`.")
    levels = doc.get("levels") or {}
    if sorted(levels) != [1, 2, 3, 4]:
        raise DataError(path, line_of(doc, "levels"), "`levels` must define 1, 2, 3 and 4.")
    for number, level in levels.items():
        if not isinstance(level, dict) or not all(isinstance(level.get(k), str) for k in ("name", "meaning")):
            raise DataError(path, line_of(levels, number), f"level {number} needs a `name` and a `meaning`.")
    dimensions = _dimensions(path, doc, known_tools, language)
    core, data_dimension, digital_at = _overall(path, doc, {d.key for d in dimensions})
    return MaturityModel(
        levels={n: Level(n, localised(v, "name", language), localised(v, "meaning", language)) for n, v in levels.items()},
        dimensions=dimensions, core=core, data_dimension=data_dimension, digital_at=digital_at,
    )


def _dimensions(path: Path, doc: dict, known_tools: set[str], language: str) -> tuple[Dimension, ...]:
    found = doc.get("dimensions")
    if not isinstance(found, dict) or not found:
        raise DataError(path, line_of(doc, "dimensions"), "`dimensions` must list at least one dimension.",
                        "see the comment above `dimensions` in data/maturity.yml.")
    dimensions = []
    for key, spec in found.items():
        where = line_of(found, key)
        if not isinstance(spec, dict) or not isinstance(spec.get("name"), str):
            raise DataError(path, where, f"dimension '{key}' needs a `name`.")
        tools = {}
        for kind in ("systems", "basics"):
            listed = spec.get(kind) or []
            if not isinstance(listed, list):
                raise DataError(path, line_of(spec, kind), f"`{kind}` of dimension '{key}' must be a list of tools.")
            unknown = [t for t in listed if t not in known_tools]
            if unknown:
                raise DataError(path, line_of(spec, kind), f"unknown tool '{unknown[0]}' in {key} {kind}.",
                                "use a tool key from data/entities/tools.yml.")
            tools[kind] = frozenset(listed)
        dimensions.append(Dimension(str(key), localised(spec, "name", language), tools["systems"], tools["basics"]))
    return tuple(dimensions)


def _overall(path: Path, doc: dict, keys: set[str]) -> tuple[tuple[str, ...], str, int]:
    overall = doc.get("overall")
    if not isinstance(overall, dict):
        raise DataError(path, line_of(doc, "overall"), "`overall` must give `core`, `data` and `digital_at`.")
    core, data_dimension = overall.get("core") or [], overall.get("data")
    digital_at = overall.get("digital_at", SYSTEM_POINTS)
    for name in [*core, data_dimension]:
        if name not in keys:
            raise DataError(path, line_of(overall, "core" if name in core else "data"),
                            f"'{name}' in `overall` is not a dimension.", f"use one of: {', '.join(sorted(keys))}.")
    if not isinstance(digital_at, int) or not 1 <= digital_at <= MAX_SCORE:
        raise DataError(path, line_of(overall, "digital_at"), f"`digital_at` must be a whole number from 1 to {MAX_SCORE}.")
    return tuple(core), data_dimension, digital_at
