"""Plays lines of user text to a running assistant and prints what it understood and answered.

For trainers checking a change without an interactive terminal:
`printf 'what is the cloud\\ntell me more\\n' | make shell` ends up here. Each line goes to Rasa's
`/model/parse` (the intent, and the FAQ topic if any) and then to the REST channel (the replies).
"""
from __future__ import annotations

import uuid
from typing import Callable, Iterable, TextIO

Parse = Callable[[str], dict]
Send = Callable[[str], list]


def understood(parse_result: dict) -> str:
    """'faq/cloud_computing 0.97' or 'greet 0.99': the intent, with the FAQ topic when there is one."""
    intent = parse_result.get("intent") or {}
    name, confidence = intent.get("name") or "?", intent.get("confidence") or 0.0
    selected = ((parse_result.get("response_selector") or {}).get(name) or {}).get("response") or {}
    if selected.get("intent_response_key"):
        name, confidence = selected["intent_response_key"], selected.get("confidence") or confidence
    return f"{name} {confidence:.2f}"


def reply_lines(message: dict) -> list[str]:
    lines = [f"  {line}" for line in (message.get("text") or "").splitlines()]
    titles = [button.get("title", "?") for button in message.get("buttons") or []]
    if titles:
        lines.append("  [" + " | ".join(titles) + "]")
    return lines


def play(lines: Iterable[str], parse: Parse, send: Send, out: TextIO) -> int:
    """Send each non-empty line; print it, what it was understood as, and the replies. Returns the count."""
    count = 0
    for line in lines:
        text = line.strip()
        if not text:
            continue
        count += 1
        print(f"> {text}", file=out)
        print(f"  (understood as {understood(parse(text))})", file=out)
        for message in send(text) or [{"text": "(no reply)"}]:
            print("\n".join(reply_lines(message)), file=out)
    return count


def over_http(url: str, sender: str | None = None) -> tuple[Parse, Send]:
    """`parse` and `send` for the assistant at `url` (Rasa started with --enable-api)."""
    import requests

    sender = sender or f"trainer-{uuid.uuid4().hex[:8]}"

    def parse(text: str) -> dict:
        response = requests.post(f"{url}/model/parse", json={"text": text}, timeout=60)
        response.raise_for_status()
        return response.json()

    def send(text: str) -> list:
        response = requests.post(f"{url}/webhooks/rest/webhook", json={"sender": sender, "message": text}, timeout=60)
        response.raise_for_status()
        return response.json()

    return parse, send
