"""The catalogue of first steps (data/catalogue/steps.yml): schema, validation and loading.

Trainers extend the catalogue in YAML; every problem is reported with file, line and fix.
"""
from __future__ import annotations

import difflib
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

from bot.nlu.vocabulary import EntityVocabulary
from bot.yaml_source import TRANSLATED_LANGUAGES, DataError, line_of, load_yaml, localised, twin

EFFORTS = ("low", "medium", "high")
LEVELS = (1, 2, 3, 4)
# first_action: the first thing to do this week, a line of the plan the owner takes away (bot/report).
TEXT_LIMITS = {"title": 50, "what": 160, "why": 160, "first_action": 120, "tool_kinds": 200}
FEE_NOTE_LIMIT = 40  # e.g. "plus about 3% per sale", shown next to the cost
# The Chinese twins (`title_zh`, ...): about half as many characters say as much.
ZH_LIMITS = {"title_zh": 25, "what_zh": 90, "why_zh": 90, "first_action_zh": 60, "tool_kinds_zh": 100,
             "fee_note_zh": 25}
TRANSLATED = ("title", "what", "why", "first_action", "tool_kinds", "fee_note")
REQUIRED = ("id", "title", "what", "why", "first_action", "industries", "goals", "maturity", "cost",
            "weeks_to_first_result", "effort", "prerequisites", "provides", "tool_kinds")
# How to write a required field that older steps (and trainers' drafts) may still lack, shown in the fix.
MISSING_FIXES = {
    "first_action": "add `first_action:` after `why:` with the first thing to do this week, starting with a verb "
                    "(e.g. \"Sign up for a free trial of one accounting app and enter last month's invoices.\"), "
                    "and `first_action_zh:` with the same in Chinese.",
}


@dataclass(frozen=True)
class Step:
    id: str
    title: str
    what: str
    why: str
    industries: tuple[str, ...]  # empty means any industry
    goals: tuple[str, ...]
    maturity: tuple[int, ...]
    one_off: tuple[float, float]
    monthly: tuple[float, float]
    weeks_to_first_result: int
    effort: str
    prerequisites: tuple[str, ...]
    provides: tuple[str, ...]
    tool_kinds: str
    per_user: bool = False  # the monthly cost is for each person who uses it
    fee_note: str = ""  # a cost per sale or booking that the ranges leave out
    # The first thing to do this week, e.g. "Sign up for a free trial of one accounting app ...". Required in
    # the YAML (REQUIRED), so every loaded step has one; the default only spares hand-made steps in tests.
    first_action: str = ""

    def users_paid_for(self, head_count: int | None) -> int:
        """How many people the monthly cost is paid for: the head count for a per-user price, else one."""
        return max(1, head_count or 1) if self.per_user else 1

    def first_year_cost(self, head_count: int | None = None) -> float:
        """Worst case over the first year: the top of both ranges, per-user prices for everyone."""
        return self.one_off[1] + 12 * self.monthly[1] * self.users_paid_for(head_count)

    def suits_industry(self, industry: str | None) -> bool:
        return not self.industries or industry in self.industries


@dataclass(frozen=True)
class Catalogue:
    currency: str
    steps: tuple[Step, ...]

    def get(self, step_id: str) -> Step | None:
        return self._by_id.get(step_id)

    @cached_property
    def _by_id(self) -> dict[str, Step]:
        return {step.id: step for step in reversed(self.steps)}  # reversed: the first of a duplicate id wins


def load_catalogue(path: Path, vocabulary: EntityVocabulary, language: str = "en") -> Catalogue:
    """Load the catalogue with its texts in `language`, or raise the first DataError (use
    `check_catalogue` for all of them). A missing Chinese text falls back to the English one."""
    catalogue, problems = _read(path, vocabulary, language)
    if problems:
        raise problems[0]
    return catalogue


def check_catalogue(path: Path, vocabulary: EntityVocabulary) -> list[DataError]:
    return _read(path, vocabulary)[1]


def _read(path: Path, vocabulary: EntityVocabulary, language: str = "en") -> tuple[Catalogue | None, list[DataError]]:
    problems: list[DataError] = []
    doc = load_yaml(path)
    if not isinstance(doc, dict) or not isinstance(doc.get("steps"), list):
        return None, [DataError(path, None, "the catalogue needs `currency:` and a `steps:` list.")]
    currency = doc.get("currency")
    if not isinstance(currency, str) or len(currency) != 3:
        problems.append(DataError(path, line_of(doc, "currency"), "`currency` must be an ISO code like USD."))
    known = {entity: vocabulary.values(entity) for entity in ("industry", "goal", "tool")}
    steps: list[Step] = []
    seen: dict[str, int | None] = {}
    prerequisite_lines: dict[str, int | None] = {}
    for index, raw in enumerate(doc["steps"]):
        line = line_of(doc["steps"], index)
        step = _read_step(path, raw, line, known, problems, language)
        if step is None:
            continue
        if step.id in seen:
            problems.append(DataError(path, line, f"step id '{step.id}' is used twice (first at line {seen[step.id]}).",
                                      "give each step its own id."))
        seen[step.id] = line
        prerequisite_lines[step.id] = line_of(raw, "prerequisites") or line
        steps.append(step)
    problems += _check_prerequisites(path, steps, prerequisite_lines)
    return Catalogue(currency or "USD", tuple(steps)), problems


def _read_step(path, raw, line, known, problems, language="en") -> Step | None:
    if not isinstance(raw, dict):
        problems.append(DataError(path, line, "each step must be a mapping of fields."))
        return None
    name = raw.get("id", f"#{line}")

    def fail(field: str, problem: str, fix: str = "") -> None:
        problems.append(DataError(path, line_of(raw, field) or line, f"step '{name}': {problem}", fix))

    missing = [field for field in REQUIRED if field not in raw]
    if missing:
        hints = [MISSING_FIXES[field] for field in missing if field in MISSING_FIXES]
        fail("id", f"missing {', '.join(missing)}.", " ".join(["see the schema at the top of the file.", *hints]))
        return None
    before = len(problems)
    # a missing Chinese text is not checked here: the translation check names it
    limits = {**TEXT_LIMITS, **{field: limit for field, limit in ZH_LIMITS.items() if field in raw}}
    for field, limit in limits.items():
        if not isinstance(raw[field], str) or not raw[field].strip():
            fail(field, f"`{field}` must be text.")
        elif len(raw[field]) > limit:
            fail(field, f"`{field}` is {len(raw[field])} characters; the limit is {limit}.", "shorten it for a phone screen.")
    industries = _key_list(raw, "industries", fail)
    if industries == ["any"]:
        industries = []
    for field, entity, values in (("industries", "industry", industries), ("goals", "goal", _key_list(raw, "goals", fail)),
                                  ("provides", "tool", _key_list(raw, "provides", fail))):
        for value in values:
            if value not in known[entity]:
                fail(field, f"unknown {entity} '{value}'.",
                     f"use a key from data/entities/ ({', '.join(sorted(known[entity]))}) or add it there first.")
    if raw["goals"] == [] or raw["goals"] is None:
        fail("goals", "needs at least one goal.")
    if not raw["provides"]:
        fail("provides", "needs at least one tool key: what the step puts in place.",
             "list tool keys from data/entities/tools.yml, like [online_payments].")
    if raw["prerequisites"] is not None and not isinstance(raw["prerequisites"], list):
        fail("prerequisites", "`prerequisites` must be a list of step ids, like [cloud_accounting] or [].")
    maturity = raw["maturity"]
    if not isinstance(maturity, list) or not maturity or any(level not in LEVELS for level in maturity):
        fail("maturity", "`maturity` must list levels from 1 to 4.")
    cost = raw["cost"] if isinstance(raw["cost"], dict) else {}
    ranges = {}
    for part in ("one_off", "monthly"):
        value = cost.get(part)
        if (not isinstance(value, list) or len(value) != 2 or not all(isinstance(v, (int, float)) and v >= 0 for v in value)
                or value[0] > value[1]):
            fail("cost", f"`cost.{part}` must be [min, max] with 0 <= min <= max.", f"for example `{part}: [0, 20]`.")
        else:
            ranges[part] = (float(value[0]), float(value[1]))
    if not isinstance(raw["weeks_to_first_result"], int) or raw["weeks_to_first_result"] < 0:
        fail("weeks_to_first_result", "`weeks_to_first_result` must be a whole number of weeks.")
    if raw["effort"] not in EFFORTS:
        fail("effort", f"`effort` must be one of {', '.join(EFFORTS)}.")
    twins = {twin(field, lang) for field in TRANSLATED for lang in TRANSLATED_LANGUAGES}
    unknown = sorted(set(raw) - set(REQUIRED) - {"per_user", "fee_note"} - twins)
    if unknown:
        fail(unknown[0], f"unknown field `{unknown[0]}`.", "check its spelling against the schema at the top of the file.")
    if not isinstance(raw.get("per_user", False), bool):
        fail("per_user", "`per_user` must be true or false.", "write `per_user: true` for a price per person.")
    fee_note = raw.get("fee_note", "")
    if not isinstance(fee_note, str) or len(fee_note) > FEE_NOTE_LIMIT:
        fail("fee_note", f"`fee_note` must be text of at most {FEE_NOTE_LIMIT} characters.",
             'for example `fee_note: "plus about 3% per sale"`.')
    if len(problems) > before:
        return None
    return Step(
        id=str(raw["id"]), title=localised(raw, "title", language).strip(), what=localised(raw, "what", language).strip(),
        why=localised(raw, "why", language).strip(), first_action=localised(raw, "first_action", language).strip(),
        industries=tuple(industries), goals=tuple(raw["goals"]), maturity=tuple(maturity),
        one_off=ranges["one_off"], monthly=ranges["monthly"], weeks_to_first_result=raw["weeks_to_first_result"],
        effort=raw["effort"], prerequisites=tuple(raw["prerequisites"] or ()), provides=tuple(raw["provides"]),
        tool_kinds=localised(raw, "tool_kinds", language).strip(), per_user=raw.get("per_user", False),
        fee_note=(localised(raw, "fee_note", language) or "").strip(),
    )


def _key_list(raw: dict, field: str, fail) -> list[str]:
    value = raw.get(field)
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        fail(field, f"`{field}` must be a list of keys, like [a, b].")
        return []
    return list(value)


def _check_prerequisites(path: Path, steps: list[Step], prerequisite_lines: dict) -> list[DataError]:
    problems = []
    ids = {s.id for s in steps}
    for step in steps:
        for needed in step.prerequisites:
            if needed not in ids:
                close = difflib.get_close_matches(needed, sorted(ids - {step.id}), n=3)  # never the step itself
                hint = f" (did you mean {' or '.join(close)}?)" if close else ""
                problems.append(DataError(path, prerequisite_lines.get(step.id), f"step '{step.id}' needs unknown step '{needed}'.",
                                          f"use the `id` of a step in this file{hint}, or remove it from `prerequisites`."))
    graph = {s.id: [p for p in s.prerequisites if p in ids] for s in steps}
    state: dict[str, int] = {}  # 1 = visiting, 2 = done

    def visit(node: str, trail: list[str]) -> None:
        state[node] = 1
        for nxt in graph[node]:
            if state.get(nxt) == 1:
                cycle = " -> ".join(trail[trail.index(nxt):] + [nxt]) if nxt in trail else f"{node} -> {nxt}"
                problems.append(DataError(path, prerequisite_lines.get(node), f"prerequisites go round in a circle: {cycle}.",
                                          "remove one of these prerequisites."))
            elif state.get(nxt) is None:
                visit(nxt, trail + [nxt])
        state[node] = 2

    for step_id in sorted(graph):
        if step_id not in state:
            visit(step_id, [step_id])
    return problems
