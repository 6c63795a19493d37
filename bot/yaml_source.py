"""YAML loading that remembers line numbers, so validation errors can say file:line."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml


class DataError(ValueError):
    """A problem in a trainer-edited data file, with where it is and how to fix it."""

    def __init__(self, path: Path | str, line: int | None, problem: str, fix: str = "") -> None:
        self.path, self.line, self.problem, self.fix = str(path), line, problem, fix
        where = f"{self.path}:{line}" if line else self.path
        super().__init__(f"{where}: {problem}" + (f" Fix: {fix}" if fix else ""))


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


# PyYAML's wording of the mistakes trainers make most, and what each means in plain words.
_PLAIN_SYNTAX_ERRORS = (
    ("expected <block end>", "this line's indentation does not line up with the lines above it"),
    ("could not find expected ':'", "this line's indentation does not line up with the lines above it"),
    ("mapping values are not allowed", "a ':' inside text; put the whole text in double quotes"),
    ("found character '\\t'", "a tab character; indent with spaces only"),
)


def _plain(problem: str | None) -> str:
    problem = problem or "unreadable"
    plain = next((meaning for pattern, meaning in _PLAIN_SYNTAX_ERRORS if pattern in problem), None)
    return f"{plain} (YAML says: {problem})" if plain else problem


def load_yaml(path: Path | str) -> Any:
    """Parse a YAML file; syntax errors become a DataError with the line."""
    try:
        with open(path, encoding="utf-8") as handle:
            return yaml.load(handle, Loader=_LineLoader)  # noqa: S506 - SafeLoader subclass
    except yaml.MarkedYAMLError as err:
        mark = err.problem_mark
        raise DataError(
            path, mark.line + 1 if mark else None, f"YAML syntax error: {_plain(err.problem)}.",
            "check indentation and quote text that contains ':' or '#'.",
        ) from None
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
