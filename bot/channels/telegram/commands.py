"""Which Telegram messages are for the bot, what our commands mean, and chat ids as sender ids.

  command_payload(text)   /start, /help, /restart, /plan, /delete, /lang -> the Rasa payload
  command_menu(language)  the commands with their descriptions in "en" or "zh", for Telegram's menu
                          (the descriptions are in data/channels.yml, `commands:`)
  addressed_text(...)     in groups, only messages that mention or reply to the bot count
  sender_for_chat(id)     the chat is the conversation: sender id "tg-<chat_id>"

Pure: no Telegram or Rasa import.
"""
from __future__ import annotations

import re
from typing import Optional

from bot.channels.texts import command_description
from bot.names import Intents, SenderPrefixes, payload
from bot.nlu.language import CHINESE, ENGLISH


def sender_for_chat(chat_id: int) -> str:
    return f"{SenderPrefixes.TELEGRAM}{chat_id}"


def chat_for_sender(sender_id: str) -> int:
    if not sender_id.startswith(SenderPrefixes.TELEGRAM):
        raise ValueError(f"{sender_id!r} is not a Telegram sender id")
    return int(sender_id[len(SenderPrefixes.TELEGRAM):])


# Each command and the Rasa payload it sends, in the menu's order (bot.channels.texts.COMMANDS lists
# the same names: their descriptions are read from data/channels.yml).
COMMANDS = {
    "start": payload(Intents.GREET),
    "help": payload(Intents.GREET),
    "restart": payload(Intents.START_OVER),
    "plan": payload(Intents.SHOW_PLAN),
    "delete": payload(Intents.DELETE_MY_DATA),
    "lang": payload(Intents.SWITCH_LANGUAGE),  # no language named: the assistant offers both as buttons
}
# Telegram shows a user the menu registered for their app's language_code, else the default (None).
MENU_LANGUAGES = {None: ENGLISH, CHINESE: CHINESE}
# t.me/<bot>?start=<key> opens the chat with "/start <key>".
DEEP_LINKS = {"advice": payload(Intents.REQUEST_ADVICE)}
_COMMAND = re.compile(r"^/([A-Za-z0-9_]{1,32})(?:@([A-Za-z0-9_]{3,64}))?(?:\s+(.*))?$", re.DOTALL)


def command_payload(text: str) -> Optional[str]:
    """The Rasa payload for one of our commands, or None when the text is not one of them."""
    match = _COMMAND.match((text or "").strip())
    if not match or match.group(1).lower() not in COMMANDS:
        return None
    command, argument = match.group(1).lower(), (match.group(3) or "").strip()
    if command == "start" and argument in DEEP_LINKS:
        return DEEP_LINKS[argument]
    return COMMANDS[command]


def command_menu(language: str) -> list[tuple[str, str]]:
    """(command, description) pairs for set_my_commands, described in ``language``."""
    return [(name, command_description(name, language)) for name in COMMANDS]


def addressed_text(text: str, private: bool, bot_username: str, replies_to_bot: bool) -> Optional[str]:
    """The text meant for the bot, or None when a group message is not for it.

    In a private chat every message counts. In a group only a reply to the bot, a message that
    mentions @bot_username (the mention is removed) or a command without another bot's name.
    """
    text = text or ""
    if private:
        return text
    command = _COMMAND.match(text.strip())
    if command and command.group(2):
        return text if command.group(2).lower() == bot_username.lower() else None
    if replies_to_bot or (command and command.group(1).lower() in COMMANDS):
        return text
    mention = re.compile(rf"@{re.escape(bot_username)}\b", re.IGNORECASE) if bot_username else None
    if mention and mention.search(text):
        return " ".join(mention.sub(" ", text).split())
    return None
