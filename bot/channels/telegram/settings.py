"""The Telegram channel's settings, from the environment only (secrets never live in files):

  TELEGRAM_TOKEN           the token from @BotFather; unset: the channel is off
  TELEGRAM_MODE            polling (default: works without a public URL) or webhook
  TELEGRAM_WEBHOOK_URL     webhook mode: the public HTTPS URL of /webhooks/telegram/webhook
  TELEGRAM_WEBHOOK_SECRET  webhook mode: 1-256 characters of A-Z a-z 0-9 _ -, required
  TELEGRAM_API_BASE_URL    another Bot API server, e.g. http://127.0.0.1:8081/bot (tests)
"""
from __future__ import annotations

import os
import re
from dataclasses import dataclass
from typing import Mapping, Optional

from rasa.shared.exceptions import RasaException

_SECRET = re.compile(r"^[A-Za-z0-9_-]{1,256}$")


class TelegramSettingsError(RasaException, ValueError):
    """Bad TELEGRAM_* settings; the channel logs it and stays off."""


@dataclass(frozen=True)
class TelegramSettings:
    token: str
    mode: str = "polling"
    webhook_url: str = ""
    secret: str = ""
    base_url: str = ""

    @classmethod
    def from_env(cls, env: Mapping[str, str] = os.environ) -> Optional["TelegramSettings"]:
        """The settings, None when TELEGRAM_TOKEN is unset; TelegramSettingsError says what is wrong."""
        token = env.get("TELEGRAM_TOKEN", "").strip()
        if not token:
            return None
        mode = env.get("TELEGRAM_MODE", "").strip().lower() or "polling"
        url, secret = env.get("TELEGRAM_WEBHOOK_URL", "").strip(), env.get("TELEGRAM_WEBHOOK_SECRET", "").strip()
        if mode not in ("polling", "webhook"):
            raise TelegramSettingsError(f"TELEGRAM_MODE must be polling or webhook, not {mode!r}")
        if mode == "webhook":
            if not url.startswith(("https://", "http://")):
                raise TelegramSettingsError("TELEGRAM_MODE=webhook needs TELEGRAM_WEBHOOK_URL, the public https:// URL "
                                 "of /webhooks/telegram/webhook")
            if not _SECRET.match(secret):
                raise TelegramSettingsError("TELEGRAM_MODE=webhook needs TELEGRAM_WEBHOOK_SECRET: 1-256 characters of "
                                 "A-Z a-z 0-9 _ - (e.g. from `openssl rand -hex 32`)")
        return cls(token, mode, url, secret, env.get("TELEGRAM_API_BASE_URL", "").strip())
