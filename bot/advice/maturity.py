"""Digital maturity level (L1-L4) derived from the tools a firm already uses.

Rules (data/maturity.yml): L1 no core function on a business system; L2 one function;
L3 two or more; L4 all three core functions plus a data tool.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from bot.advice.replies import Replies
from bot.yaml_source import DataError, line_of, load_yaml, localised


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
class MaturityModel:
    levels: dict[int, Level]
    functions: dict[str, frozenset[str]]
    data_tools: frozenset[str]

    def assess(self, tools: set[str] | frozenset[str]) -> Level:
        covered = sum(1 for keys in self.functions.values() if keys & tools)
        if covered == len(self.functions) and self.data_tools & tools:
            number = 4
        elif covered >= 2:
            number = 3
        else:
            number = 1 + covered
        return self.levels[number]


def load_maturity(path: Path, known_tools: set[str], language: str = "en") -> MaturityModel:
    """The maturity model with level names in `language` (`name_zh`, `meaning_zh`; English where missing)."""
    doc = load_yaml(path)
    if not isinstance(doc, dict):
        raise DataError(path, None, "expected `levels`, `functions` and `data_tools`.")
    levels = doc.get("levels") or {}
    if sorted(levels) != [1, 2, 3, 4]:
        raise DataError(path, line_of(doc, "levels"), "`levels` must define 1, 2, 3 and 4.")
    for number, level in levels.items():
        if not isinstance(level, dict) or not all(isinstance(level.get(k), str) for k in ("name", "meaning")):
            raise DataError(path, line_of(levels, number), f"level {number} needs a `name` and a `meaning`.")
    functions = doc.get("functions") or {}
    for name, tools in list(functions.items()) + [("data_tools", doc.get("data_tools") or [])]:
        unknown = [t for t in tools if t not in known_tools]
        if unknown:
            where = line_of(functions, name) if name in functions else line_of(doc, "data_tools")
            raise DataError(path, where, f"unknown tool '{unknown[0]}' in {name}.",
                            "use a tool key from data/entities/tools.yml.")
    return MaturityModel(
        levels={n: Level(n, localised(v, "name", language), localised(v, "meaning", language)) for n, v in levels.items()},
        functions={name: frozenset(tools) for name, tools in functions.items()},
        data_tools=frozenset(doc.get("data_tools") or []),
    )
