"""Telegram, on python-telegram-bot 22, inside the Rasa server's process.

  channel.py     TelegramInput: life cycle, polling or webhook, updates to user messages
  output.py      TelegramOutput: replies as HTML parts, inline keyboards, photos
  settings.py    TELEGRAM_* from the environment
  formatting.py  HTML, splitting and button data (pure)
  commands.py    commands and their menu in English and Chinese, group addressing, chat ids (pure)
  language.py    the language_code Rasa gets, the channel's own texts in English and Chinese (pure)
  updates.py     the update log (each update once) and per-chat locks (pure)

credentials.yml names bot.channels.telegram.channel.TelegramInput.
"""
