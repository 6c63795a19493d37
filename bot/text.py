"""How two pieces of user text are compared: the same words count as the same text."""
from __future__ import annotations

import re
import unicodedata


def normalise(text: str) -> str:
    """Lower case, curly quotes straightened, apostrophes dropped, punctuation to spaces."""
    text = unicodedata.normalize("NFKC", text).casefold().replace("\u2019", "'").replace("\u2018", "'")
    text = text.replace("'", "")
    return " ".join(re.sub(r"[^\w\s]", " ", text).split())
