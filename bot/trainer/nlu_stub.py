"""The misunderstood messages of a review as an NLU YAML stub, for a trainer to label.

    Path("stub.yml").write_text(to_nlu_stub(review.findings()))

Only message texts are exported: no sender ids, no dates, no channels.
"""
from __future__ import annotations

import re
from typing import Any, Iterable

from bot.nlu.input_screen import MAX_MESSAGE_CHARS
from bot.trainer.events import Message
from bot.trainer.review import Finding

STUB_INTENT = "TODO_label_me"
MAX_STUB_TEXT = MAX_MESSAGE_CHARS  # longer messages are never parsed, so not exported


_ENTITY_LIKE = re.compile(r"\[[^\]]+?\](\(|\{|\[)")  # Rasa would read "[x](y)", "[x]{..}", "[x][..]" as entities


def _yaml_safe(text: str) -> str:
    """One line of YAML-printable characters."""
    kept = []
    for char in text:
        code = ord(char)
        if char in "\t\n\r\x85\u2028\u2029":
            kept.append(" ")
        elif (0x20 <= code <= 0x7E or code in (0xA0,) or 0xA1 <= code <= 0xD7FF
              or 0xE000 <= code <= 0xFFFD or 0x10000 <= code <= 0x10FFFF) and code != 0xFEFF:
            kept.append(char)
    return " ".join("".join(kept).split())


def stub_texts(items: Iterable[Any]) -> tuple[list[str], list[str]]:
    """(examples, texts to fix by hand) from findings, messages or strings; de-duplicated.

    A finding gives its misunderstood message (abandoned forms give none). Empty texts, button
    payloads or commands ("/..."), and texts over 2,000 characters are left out.
    """
    examples: list[str] = []
    by_hand: list[str] = []
    seen: set[str] = set()
    for item in items:
        if isinstance(item, Finding):
            item = item.misunderstood
        text = item.text if isinstance(item, Message) else item
        if not isinstance(text, str) or len(text) > MAX_STUB_TEXT:
            continue
        text = _yaml_safe(text)
        key = text.casefold()
        if not text or text.startswith("/") or key in seen:
            continue
        seen.add(key)
        (by_hand if _ENTITY_LIKE.search(text) else examples).append(text)
    return examples, by_hand


def to_nlu_stub(items: Iterable[Any], intent: str = STUB_INTENT) -> str:
    """A Rasa NLU YAML file (version "3.1") with the misunderstood texts under a placeholder intent.

    Only message texts are exported: no sender ids, no dates, no channels.
    """
    examples, by_hand = stub_texts(items)
    lines = [
        "# Messages the assistant did not understand, exported by `python -m bot review --export`.",
        "# Only the message texts are here: no sender ids, no dates.",
        "#",
        "# What to do:",
        f"# 1. Read each example under `{intent}` and decide which intent it should have had",
        "#    (the list is in domain.yml; FAQ questions go under `faq/<topic>`, see data/nlu/faq.yml).",
        "#    Delete examples the assistant should not learn from (spam, personal details, nonsense).",
        "# 2. Move each kept example to that intent in data/nlu/*.yml, or rename this intent and",
        "#    copy the block. Mark entities as in the other examples, e.g. [hair salon](industry).",
        "# 3. Run `make validate`, `make train` and `make test`.",
        f"# Do not put this file into data/ unchanged: `{intent}` would be trained as an intent.",
    ]
    if by_hand:
        lines += ["#", "# These contain brackets that Rasa would read as entity annotations; rewrite them",
                  "# by hand before adding them:"]
        lines += [f"#   - {text}" for text in by_hand]
    lines += ['version: "3.1"']
    if not examples:
        lines += ["# Nothing to label.", "nlu: []"]
    else:
        lines += ["nlu:", f"- intent: {intent}", "  examples: |"]
        lines += [f"    - {text}" for text in examples]
    return "\n".join(lines) + "\n"
