"""Rasa input channels: translate each channel's requests into user messages and back.

  guard.py     what every channel does first: the size cap, and a polite reply instead of a crash
  rest.py      Rasa's REST channel with request validation (no authentication: keep it local)
  telegram/    Telegram on python-telegram-bot: polling or secret-checked webhooks
  webchat/     the embeddable website widget: signed visitor sessions, static files

Pure helpers live beside the channel that uses them. credentials.yml names the channel classes.
"""
