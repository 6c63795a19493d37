"""Telling the operator about a new lead: a webhook, an email over SMTP, both, or neither (the default).

Settings come only from the environment, never from a file in the repo (they hold secrets):

| variable | meaning |
|---|---|
| `HANDOFF_WEBHOOK_URL` | POST the lead as JSON here (e.g. a Slack/Teams/CRM inbound hook) |
| `HANDOFF_WEBHOOK_SECRET` | if set, the body's HMAC-SHA256 goes in the `X-DX-Signature` header |
| `SMTP_HOST`, `SMTP_PORT` | the mail server (port 587 by default, 465 with `ssl`) |
| `SMTP_SECURITY` | `starttls` (default), `ssl` or `none` |
| `SMTP_USER`, `SMTP_PASSWORD` | log in with these, if set |
| `HANDOFF_EMAIL_TO`, `HANDOFF_EMAIL_FROM` | who gets the email (required for email), and who it is from |
| `DX_PHONE_REGION` | the operator's country (GB, CN, ...), to read national numbers like 020 7946 0958 |

With neither configured the lead is still stored (`python -m bot leads` lists it) and a log line
says that no one was told. A failure to notify is logged (its kind and HTTP status only: a webhook
URL is a secret) and reported as "failed", or "partial" when another way worked; it never loses the
lead, which was stored first.
"""
from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import smtplib
import ssl
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Mapping, Optional

import requests

from bot.handoff.lead import operator_message

logger = logging.getLogger(__name__)
TIMEOUT_SECONDS = 10
SENT, PARTIAL, OFF, FAILED = "sent", "partial", "off", "failed"  # what happened, as stored with the lead
TOLD = (SENT, PARTIAL)  # an adviser has a copy


def phone_region(env: Mapping[str, str] = os.environ) -> Optional[str]:
    """`DX_PHONE_REGION` as phonenumbers knows it ("GB", not "UK"); None (and a log line) otherwise."""
    import phonenumbers

    region = (env.get("DX_PHONE_REGION") or "").strip().upper() or None
    if region and region not in phonenumbers.SUPPORTED_REGIONS:
        logger.warning("DX_PHONE_REGION=%s is not a region code phonenumbers knows (GB, CN, US, ...); ignored", region)
        return None
    return region


@dataclass(frozen=True)
class NotifySettings:
    webhook_url: Optional[str] = None
    webhook_secret: Optional[str] = None
    smtp_host: Optional[str] = None
    smtp_port: int = 587
    smtp_security: str = "starttls"
    smtp_user: Optional[str] = None
    smtp_password: Optional[str] = None
    email_to: Optional[str] = None
    email_from: Optional[str] = None

    @classmethod
    def from_env(cls, env: Mapping[str, str] = os.environ) -> "NotifySettings":
        def get(name: str) -> Optional[str]:
            return (env.get(name) or "").strip() or None

        port = get("SMTP_PORT")
        security = (get("SMTP_SECURITY") or "starttls").lower()
        if security not in ("starttls", "ssl", "none"):
            raise ValueError(f"SMTP_SECURITY is {security!r}: use starttls, ssl or none")
        if port is not None and not port.isdigit():
            raise ValueError(f"SMTP_PORT is {port!r}: use a port number such as 587")
        default_port = 465 if security == "ssl" else 587
        return cls(webhook_url=get("HANDOFF_WEBHOOK_URL"), webhook_secret=get("HANDOFF_WEBHOOK_SECRET"),
                   smtp_host=get("SMTP_HOST"), smtp_port=int(port) if port else default_port, smtp_security=security,
                   smtp_user=get("SMTP_USER"), smtp_password=get("SMTP_PASSWORD"), email_to=get("HANDOFF_EMAIL_TO"),
                   email_from=get("HANDOFF_EMAIL_FROM") or get("SMTP_USER") or "dx-advisor@localhost")

    @property
    def email_on(self) -> bool:
        return bool(self.smtp_host and self.email_to)

    @property
    def channels(self) -> list[str]:
        return [name for name, on in (("webhook", bool(self.webhook_url)), ("email", self.email_on)) if on]


def notify_operator(lead: Mapping, settings: Optional[NotifySettings] = None) -> str:
    """Tell the operator about a stored lead by every configured way: SENT, PARTIAL, OFF or FAILED."""
    settings = settings or NotifySettings.from_env()
    if not settings.channels:
        logger.info("Lead %s stored; no operator was told: set HANDOFF_WEBHOOK_URL, or SMTP_HOST and "
                    "HANDOFF_EMAIL_TO, to be notified (`python -m bot leads` lists leads).", lead.get("id"))
        return OFF
    worked = []
    for name, send in (("webhook", _post_webhook), ("email", _send_email)):
        if name not in settings.channels:
            continue
        try:
            send(lead, settings)
            worked.append(True)
        except Exception as error:  # noqa: BLE001 - any failure is reported the same way; the lead is kept
            status = getattr(getattr(error, "response", None), "status_code", None)
            logger.warning("Lead %s stored, but the operator %s failed: %s%s", lead.get("id"), name,
                           type(error).__name__, f" (HTTP {status})" if status else "")
            worked.append(False)
    return SENT if all(worked) else PARTIAL if any(worked) else FAILED


def _post_webhook(lead: Mapping, settings: NotifySettings) -> None:
    subject, body = operator_message(lead)
    data = json.dumps({"event": "lead", "subject": subject, "text": body, "lead": dict(lead)}).encode()
    headers = {"Content-Type": "application/json"}
    if settings.webhook_secret:
        digest = hmac.new(settings.webhook_secret.encode(), data, hashlib.sha256).hexdigest()
        headers["X-DX-Signature"] = f"sha256={digest}"
    response = requests.post(settings.webhook_url, data=data, headers=headers, timeout=TIMEOUT_SECONDS)
    response.raise_for_status()


def _send_email(lead: Mapping, settings: NotifySettings) -> None:
    subject, body = operator_message(lead)
    message = EmailMessage()
    message["Subject"], message["From"], message["To"] = subject, settings.email_from, settings.email_to
    message.set_content(body)
    if settings.smtp_security == "ssl":
        server = smtplib.SMTP_SSL(settings.smtp_host, settings.smtp_port, timeout=TIMEOUT_SECONDS,
                                  context=ssl.create_default_context())
    else:
        server = smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=TIMEOUT_SECONDS)
    with server:
        if settings.smtp_security == "starttls":
            server.starttls(context=ssl.create_default_context())
        if settings.smtp_user:
            server.login(settings.smtp_user, settings.smtp_password or "")
        server.send_message(message)
