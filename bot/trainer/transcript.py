"""Plays lines of user text to a running assistant and prints what it understood and answered.

For trainers checking a change without an interactive terminal:
`printf 'what is the cloud\\ntell me more\\n' | make shell` ends up here. Each line goes to Rasa's
`/model/parse` (the intent, and the FAQ topic if any) and then to the REST channel (the replies).
"""
from __future__ import annotations

import uuid
from typing import Callable, Iterable, TextIO

from bot.names import SenderPrefixes
from bot.nlu.parse_result import understood

Parse = Callable[[str], dict]
Send = Callable[[str], list]


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
        print(f"  (understood as {understood(parse(text)).both()})", file=out)
        for message in send(text) or [{"text": "(no reply)"}]:
            print("\n".join(reply_lines(message)), file=out)
    return count


def over_http(url: str, sender: str | None = None) -> tuple[Parse, Send]:
    """`parse` and `send` for the assistant at `url` (Rasa started with --enable-api)."""
    import requests

    sender = sender or f"{SenderPrefixes.TRAINER}{uuid.uuid4().hex[:8]}"

    def parse(text: str) -> dict:
        response = requests.post(f"{url}/model/parse", json={"text": text}, timeout=60)
        response.raise_for_status()
        return response.json()

    def send(text: str) -> list:
        response = requests.post(f"{url}/webhooks/rest/webhook", json={"sender": sender, "message": text}, timeout=60)
        response.raise_for_status()
        return response.json()

    return parse, send
