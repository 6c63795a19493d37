"""YAML loading that remembers line numbers, so validation errors can say file:line."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml


class DataError(ValueError):
    """A problem in a trainer-edited data file, with where it is and how to fix it."""

    def __init__(self, path: Path | str, line: int | None, problem: str, fix: str = "") -> None:
        self.path, self.line, self.problem, self.fix = str(path), line, problem, fix
        super().__init__(self._text(self.path))

    def _text(self, path: str) -> str:
        where = f"{path}:{self.line}" if self.line else path
        return f"{where}: {self.problem}" + (f" Fix: {self.fix}" if self.fix else "")

    def shown_from(self, root: Path | str) -> str:
        """The message with the path relative to `root` (the project), as the guide writes paths."""
        try:
            return self._text(str(Path(self.path).resolve().relative_to(Path(root).resolve())))
        except ValueError:
            return str(self)


class LineDict(dict):
    """A dict that knows the line (1-based) of each key."""

    lines: dict


class LineList(list):
    """A list that knows the line (1-based) of each item."""

    lines: list


class _LineLoader(yaml.SafeLoader):
    def construct_mapping(self, node, deep=False):
        mapping = LineDict(super().construct_mapping(node, deep=True))
        mapping.lines = {
            self.construct_object(key, deep=True): key.start_mark.line + 1 for key, _ in node.value
        }
        return mapping

    def construct_sequence(self, node, deep=False):
        items = LineList(super().construct_sequence(node, deep=True))
        items.lines = [child.start_mark.line + 1 for child in node.value]
        return items


_LineLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_MAPPING_TAG, _LineLoader.construct_mapping
)
_LineLoader.add_constructor(
    yaml.resolver.BaseResolver.DEFAULT_SEQUENCE_TAG, _LineLoader.construct_sequence
)


# PyYAML's wording of the mistakes trainers make most: what each means in plain words, and its fix.
_INDENTATION = ("this line's indentation does not line up with the lines above it",
                "indent it with the same number of spaces as the entry above it.")
_PLAIN_SYNTAX_ERRORS = (
    ("expected <block end>", *_INDENTATION),
    ("could not find expected ':'", *_INDENTATION),
    ("mapping values are not allowed", "a ':' inside text", 'put the whole text in double quotes: "Note: this".'),
    ("found character '\\t'", "a tab character", "replace the tab with spaces."),
    ("expected ',' or ']'", "a list in [ ] that is not closed, or a ':' inside it",
     "close the list with ] and separate the items with commas; quote an item that contains ':'."),
    ("found unexpected end of stream", "a quote that is never closed", "end the text with the quote mark it starts with."),
    ("but found '<stream end>'", "the file ends in the middle of an entry", "finish the last entry or delete it."),
)


def _explained(problem: str | None) -> tuple[str, str]:
    """(problem in plain words, fix) for a PyYAML problem text."""
    problem = problem or "unreadable"
    for pattern, meaning, fix in _PLAIN_SYNTAX_ERRORS:
        if pattern in problem:
            return f"{meaning} (YAML says: {problem})", fix
    return problem, "check indentation and quote text that contains ':' or '#'."


_KEY = re.compile(r"^(?P<indent>\s*)(?:-\s+)?(?P<key>[A-Za-z_][\w-]*):(?:\s|$)")


def _over_indented_key(lines: list[str], index: int) -> tuple[str, str] | None:
    """(problem, fix) when line `index` is a `key:` indented deeper than the key above it, which PyYAML
    reports as "mapping values are not allowed" (e.g. `examples: |` under `- intent: x`)."""
    here = _KEY.match(lines[index]) if 0 <= index < len(lines) else None
    above = next((line for line in reversed(lines[:index]) if line.strip() and not line.lstrip().startswith("#")), "")
    parent = _KEY.match(above)
    if not here or not parent:
        return None
    parent_column = parent.start("key")  # where `intent` starts in "- intent: x"
    if len(here["indent"]) <= parent_column:
        return None
    return (f"`{here['key']}:` is indented more than `{parent['key']}:` on the line above",
            f"indent `{here['key']}:` with exactly {parent_column} spaces, so it lines up with `{parent['key']}:`.")


def load_yaml(path: Path | str) -> Any:
    """Parse a YAML file; syntax errors become a DataError with the line."""
    try:
        with open(path, encoding="utf-8") as handle:
            return yaml.load(handle, Loader=_LineLoader)  # noqa: S506 - SafeLoader subclass
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark
        problem, fix = _explained(err.problem)
        if mark and "mapping values are not allowed" in (err.problem or ""):
            with open(path, encoding="utf-8") as handle:
                indented = _over_indented_key(handle.read().splitlines(), mark.line)
            if indented:
                problem, fix = f"{indented[0]} (YAML says: {err.problem})", indented[1]
        raise DataError(path, mark.line + 1 if mark else None, f"YAML syntax error: {problem}.", fix) from None
    except UnicodeDecodeError:
        raise DataError(path, None, "the file is not UTF-8 text.", "save it as UTF-8 in your editor.") from None


def line_of(container: Any, key: Any) -> int | None:
    """The line of `key` in a LineDict, or of index `key` in a LineList."""
    lines = getattr(container, "lines", None)
    if isinstance(lines, dict):
        return lines.get(key)
    if isinstance(lines, list) and isinstance(key, int) and 0 <= key < len(lines):
        return lines[key]
    return None


# Bilingual data: every English text field `f` has its Chinese twin `f_zh` right beside it.
TRANSLATED_LANGUAGES = ("zh",)


def twin(field: str, language: str) -> str:
    """The key that holds `field` in `language`: "title" in English, "title_zh" in Chinese."""
    return field if language == "en" else f"{field}_{language}"


def is_twin(key: object) -> bool:
    return isinstance(key, str) and any(key.endswith(f"_{lang}") for lang in TRANSLATED_LANGUAGES)


def localised(mapping: dict, field: str, language: str):
    """`field` in `language`, or the English one when that translation is missing (`make validate` says so)."""
    value = mapping.get(twin(field, language))
    return value if isinstance(value, str) and value.strip() else mapping.get(field)
