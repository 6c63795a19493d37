"""Second thoughts on intents that words inside a description trigger.

"Our presses keep stopping" is not a request to stop the questions, and "pricing jobs takes me all
weekend" is not off-topic: both are owners describing their problem. The intent classifier sees
"stop" and "weekend". Two checks, applied after it (by bot.nlu.components.IntentGuard):

* `stop` becomes `inform` for a message that describes something stopping or being cancelled
  ("our presses keep stopping", "we want to stop selling through wholesalers", "clients cancel at
  the last minute"), unless it also asks to stop the conversation ("stop asking", "cancel this");
* `deny`, `out_of_scope`, `bot_challenge` and `ask_cheaper` become `inform` when the answer model is
  sure the message describes a goal or an industry ("机器老是停，交不了货" is about machines, not about
  the bot; "the printers keep jamming and we lose time" asks for nothing cheaper);
* `report_progress` without any phrase of how a step went (data/entities/progress.yml: "done",
  "started", "skipped it", "还没开始" ...) is not a check-in answer: "clients don't turn up for their
  bookings" describes a problem. The classifier's next choice stands instead (`second_choice`);
* a message that gives an email address or a phone number is someone asking to be contacted:
  `talk_to_person` (the hand-off form then reads the contact from it), when it was read as `inform`,
  `nlu_fallback` or `out_of_scope`.
The same in Chinese: "机器老是停" describes, "别问了" asks to stop.
Pure: no Rasa import.
"""
from __future__ import annotations

import re
from typing import Optional

from bot.handoff.contact import read_contact
from bot.names import Intents
from bot.nlu.language import han_count

# Intents that words inside an owner's description can trigger; the answer model may overrule them.
OVERRULED = (Intents.STOP, Intents.DENY, Intents.OUT_OF_SCOPE, Intents.BOT_CHALLENGE, Intents.ASK_CHEAPER)
# Below this the answer model's word is not enough to overrule the intent classifier.
OVERRULE_CONFIDENCE = 0.6
_CANCEL = re.compile(
    r"\b(stop|cancel|quit|exit|end|enough|forget|skip)\b[\w\s',]*?\b(it|this|that|now|here|questions?|asking|"
    r"chat|conversation|please|already|for now|all)\b"
    r"|\b(don'?t|do not|no longer)\s+(want|wish|need)\s+to\s+(continue|go on|answer|do this)"
    r"|\b(never ?mind|leave it|not now|no more questions|i'?m done|that'?s enough|let'?s stop)\b"
    r"|别问了|不问了|不想(继续|回答|聊)|先到这|到此为止|结束(吧|对话)|不用问了|停(一下|下来)吧",
    re.IGNORECASE)
_DESCRIBES = re.compile(
    r"\b(keeps?|kept)\s+\w*\s*(stopp|break|fail)|\b(stops|stopping|stopped)\b"
    r"|\bstop\s+(?!asking|talking|this|that|it|now|here|please)\w+ing\b"  # "stop selling through wholesalers"
    r"|\b(clients|customers|people|patients|guests|they|students)\s+(keep\s+|often\s+|always\s+)?cancel"
    r"|\b(breaks?|broke|breaking)\s+down\b|\bbreakdowns?\b"
    r"|(老是|总是|经常|动不动就|三天两头|一直)\w{0,3}(停|坏|罢工|出故障|死机|取消|爽约)|停机|停工|停产|坏了|故障",
    re.IGNORECASE)
# Intents that a contact in the message turns into a request to be contacted; any other ("yes,
# jo@bakery.co.uk", "no", "how do I set up bookings@salon.com?") keeps its meaning. A phone number's
# digits can read as a step number ("tell me about step 2") to the classifier: ask_step_details too.
CONTACT_MEANS_PERSON = (Intents.INFORM, Intents.FALLBACK, Intents.OUT_OF_SCOPE, Intents.GOODBYE,
                        Intents.ASK_STEP_DETAILS)
_SHORT = 3  # words: "stop", "stop please", "cancel that now"
_QUESTION = re.compile(r"\?|？|^\s*(what|where|who|when|which|why|how|can|could|would|is|are|do|does|will|should)\b"
                       r"|什么|怎么|为什么|为啥|咋|哪|吗\s*$|呢\s*$", re.IGNORECASE)


def means_stop(text: str) -> bool:
    """False only for a message that describes something stopping and does not ask to stop the chat."""
    text = text or ""
    return not _DESCRIBES.search(text) or bool(_CANCEL.search(text) and not _DESCRIBES_THING.search(text))


_ABOUT_PRICE = re.compile(r"\b(cheap\w*|costs?|costly|price\w*|pricey|expensive|budget|money|afford\w*|free)\b"
                          r"|便宜|贵|价格|价钱|费用|预算|省钱|免费|花钱", re.IGNORECASE)
_DESCRIBES_THING = re.compile(r"\b(machines?|press(es)?|line|vans?|trucks?|system|selling|buying|clients|customers)\b"
                              r"|机器|设备|生产线|货车|系统|客户|客人", re.IGNORECASE)


def _word_count(text: str) -> int:
    """Words in English; in Chinese, which has no spaces, about one word per two characters."""
    han = han_count(text)
    return len(re.findall(r"[A-Za-z0-9']+", text)) + (han + 1) // 2


def corrected_intent(intent: Optional[str], text: str, answer_confidence: float) -> Optional[str]:
    """`inform` when the classifier's intent is a misreading of an answer; None to keep it.

    `answer_confidence` is the answer model's best confidence for the message (goal or industry).
    """
    if intent in CONTACT_MEANS_PERSON and read_contact(text).contact:
        return Intents.TALK_TO_PERSON
    if intent not in OVERRULED:
        return None
    if intent == Intents.STOP:
        return None if means_stop(text) else Intents.INFORM
    if intent == Intents.ASK_CHEAPER and _ABOUT_PRICE.search(text or ""):
        return None  # "a cheaper plan for my bakery" names a trade, and still asks about price
    # An owner's answer is a statement; "what's a good hotel in Chengdu?" is a question, and off-topic.
    if answer_confidence >= OVERRULE_CONFIDENCE and _word_count(text or "") > _SHORT \
            and not _QUESTION.search(text or ""):
        return Intents.INFORM
    return None


def second_choice(intent: Optional[str], has_progress_phrase: bool, ranking: list) -> Optional[tuple[str, float]]:
    """(intent, confidence) next in the ranking for a `report_progress` that says nothing of progress;
    None to keep the intent."""
    if intent != Intents.REPORT_PROGRESS or has_progress_phrase:
        return None
    found = next((r for r in ranking if r.get("name") not in (Intents.REPORT_PROGRESS, None)), None)
    return (found["name"], float(found.get("confidence") or 0.0)) if found else (Intents.FALLBACK, 0.0)
