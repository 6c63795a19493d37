"""The profile form: its questions, and turning each answer into slot values.

Every slot is extracted here (custom mappings) so that free text, buttons, several
answers in one message, corrections and "skip" all work the same way.
"""
from __future__ import annotations

import re
from dataclasses import replace
from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import ActiveLoop, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from actions.misses import counted_miss, misses_of, misses_value
from actions.language import data_for
from bot.advice.data import advice_data
from bot.advice.plan_text import budget_phrase, people_text, summary
from bot.advice.replies import Replies
from bot.advice.profile_parsing import Budget, parse_budget, parse_head_count
from bot.advice.slots import (NO_TOOLS, OTHER_INDUSTRY, OWN_WORDS, UNKNOWN, budget_from_slot, budget_to_slot,
                              head_count_to_slot)
from bot.names import Actions, Entities, Intents, Slots
from bot.nlu.answer_model import answer_models, chosen_mention
from bot.nlu.language import LANGUAGES
from bot.nlu.negation import negated

# Intents that answer the question asked; anything else is a digression the rules handle.
# An off-topic reply to a question counts too: it is answered, and then counts as a miss.
ANSWER_INTENTS = {Intents.INFORM, Intents.SKIP_QUESTION, Intents.AFFIRM, Intents.DENY, Intents.FALLBACK,
                  Intents.REQUEST_ADVICE, Intents.OUT_OF_SCOPE}
# Requests that are about something else: their words are never read as answers ("consultant" is a trade).
NOT_ABOUT_THE_FIRM = {Intents.TALK_TO_PERSON, Intents.DELETE_MY_DATA, Intents.START_OVER, Intents.BOT_CHALLENGE}
NOT_UNDERSTOOD = "__not_understood__"
WANTS_OWN_WORDS = "__own_words_next__"  # "Something else" at the goal question: the next answer is kept as said
CHOICES = ("choose", "choose_goal")  # the replies whose one text payload is the "Something else" button's
# After this many answers in a row that could not be understood the question is left open: asked
# plainly, then with a hint, then with buttons, never a fourth time.
GIVE_UP_AFTER = 3
SKIPPED = {Slots.INDUSTRY: UNKNOWN, Slots.HEAD_COUNT: UNKNOWN, Slots.TOOLS: [UNKNOWN], Slots.GOAL: UNKNOWN,
           Slots.BUDGET: budget_to_slot(Budget("unknown", None, None, None))}
answer_models()  # loaded (or trained) when the action server starts, not on an owner's first answer
ASK_ACTIONS = {Slots.INDUSTRY: Actions.ASK_INDUSTRY, Slots.HEAD_COUNT: Actions.ASK_HEAD_COUNT,
               Slots.BUDGET: Actions.ASK_BUDGET, Slots.TOOLS: Actions.ASK_TOOLS, Slots.GOAL: Actions.ASK_GOAL}


def _entity_values(tracker: Tracker, entity: str) -> List[str]:
    """The entity's values in the latest message; anything that is not text (a payload can send it) is left out."""
    return [e["value"] for e in tracker.latest_message.get("entities", [])
            if e.get("entity") == entity and isinstance(e.get("value"), str)]


def _intent(tracker: Tracker) -> Optional[str]:
    return (tracker.latest_message.get("intent") or {}).get("name")


PROFILE_ENTITIES = (Entities.INDUSTRY, Entities.COMPANY_SIZE, Entities.TOOL, Entities.GOAL, Entities.CURRENCY)


def _text(tracker: Tracker) -> str:
    return " ".join((tracker.latest_message.get("text") or "").split())


def _understood(tracker: Tracker, slot: str) -> Optional[str]:
    """What the answer model reads in the message for `slot`; None when it is not sure, and for a
    yes, a no, a question or an off-topic remark, which describe nothing."""
    if _intent(tracker) not in (Intents.INFORM, Intents.FALLBACK):
        return None
    model = answer_models().get(slot)
    return model.guess(tracker.latest_message.get("text") or "").value if model else None


def _every_language() -> List[Replies]:
    """The replies in each language: a button shown, or a question asked, before the owner switched
    language is still recognised after the switch."""
    return [advice_data(language).replies for language in LANGUAGES]


def _something_else_payloads() -> set:
    """What the "Something else" button sends, in every language (lower case): the one payload of the
    choices that is text, not an /intent."""
    return {button["payload"].lower() for replies in _every_language() for key in CHOICES
            for button in replies.entries[key]["buttons"] if not button["payload"].startswith("/")}


def _says_something_else(tracker: Tracker) -> bool:
    return _text(tracker).lower() in _something_else_payloads()


def _after_something_else(tracker: Tracker) -> bool:
    """The owner was just asked to say the goal in a few words (after "Something else"), in either language."""
    prompts = [replies.text("own_words_prompt") for replies in _every_language()]
    for event in reversed(tracker.events[:-1] if tracker.events and tracker.events[-1].get("event") == "user"
                          else tracker.events):
        if event.get("event") == "bot":
            return (event.get("text") or "").endswith(tuple(prompts))
        if event.get("event") == "user":
            return False
    return False


def _set_this_turn(tracker: Tracker) -> tuple[Dict[str, Any], Optional[str]]:
    """(the slots the owner's last message changed, the question that message answered).

    A slot set again to the value it had (the form re-checks earlier answers when it starts again)
    is no change.
    """
    changed: Dict[str, Any] = {}
    events = list(tracker.events)
    for index in range(len(events) - 1, -1, -1):
        event = events[index]
        if event.get("event") == "user":
            before = events[:index]

            def last_value(name: str) -> Any:
                return next((e.get("value") for e in reversed(before)
                             if e.get("event") == "slot" and e.get("name") == name), None)

            changed = {name: value for name, value in changed.items() if value != last_value(name)}
            return changed, last_value(Slots.REQUESTED_SLOT)
        if event.get("event") == "slot":
            changed.setdefault(event.get("name"), event.get("value"))
    return changed, None


def _tried_to_answer(tracker: Tracker, slot: str) -> bool:
    """The message answers the question about `slot` but we could not use it.

    A message that fills another slot instead ("actually we're 12 people") is a
    correction, not a failed answer.
    """
    if tracker.get_slot(Slots.REQUESTED_SLOT) != slot or _intent(tracker) not in ANSWER_INTENTS - {Intents.SKIP_QUESTION}:
        return False
    return not any(e.get("entity") in PROFILE_ENTITIES for e in tracker.latest_message.get("entities", []))


class ActionAdviceIntro(Action):
    """Says what the assistant keeps and why, before asking anything."""

    def name(self) -> Text:
        return Actions.ADVICE_INTRO

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        if not tracker.get_slot(Slots.PROFILE_CONFIRMED):
            dispatcher.utter_message(**data_for(tracker).replies.render("consent"))
        return []


class ValidateFirmProfileForm(FormValidationAction):
    def name(self) -> Text:
        return Actions.VALIDATE_FIRM_PROFILE

    async def get_extraction_events(self, dispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        # "Can a consultant call me?" names no trade: its words fill nothing, whatever the vocabulary matches.
        if _intent(tracker) in NOT_ABOUT_THE_FIRM:
            return []
        return await super().get_extraction_events(dispatcher, tracker, domain)

    def _asked(self, tracker: Tracker, slot: str) -> bool:
        return tracker.get_slot(Slots.REQUESTED_SLOT) == slot and _intent(tracker) in ANSWER_INTENTS

    def _skipped(self, tracker: Tracker, slot: str) -> bool:
        return self._asked(tracker, slot) and _intent(tracker) == Intents.SKIP_QUESTION

    async def extract_industry(self, dispatcher, tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        mentions = [(e["value"], e.get("start") or 0) for e in tracker.latest_message.get("entities", [])
                    if e.get("entity") == Entities.INDUSTRY and isinstance(e.get("value"), str)]
        if mentions:  # "a marketing agency for restaurants"; "a shop, no wait, a cafe"
            text = tracker.latest_message.get("text") or ""
            return {Slots.INDUSTRY: chosen_mention(text, mentions, answer_models().get(Slots.INDUSTRY))}
        if self._skipped(tracker, Slots.INDUSTRY):
            return {Slots.INDUSTRY: UNKNOWN}
        if not _tried_to_answer(tracker, Slots.INDUSTRY):
            return {}
        understood = _understood(tracker, Slots.INDUSTRY)  # "I fix cars", "we grow apples"
        if understood:
            return {Slots.INDUSTRY: understood}
        if _intent(tracker) == Intents.INFORM or _says_something_else(tracker):
            return {Slots.INDUSTRY: OTHER_INDUSTRY}  # a trade we have no word for ("we make candles")
        return {Slots.INDUSTRY: NOT_UNDERSTOOD}

    async def extract_head_count(self, dispatcher, tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        asked = self._asked(tracker, Slots.HEAD_COUNT) and not self._skipped(tracker, Slots.HEAD_COUNT)
        whole = parse_head_count(tracker.latest_message.get("text") or "") if asked else None
        for value in reversed(_entity_values(tracker, Entities.COMPANY_SIZE)):
            count = parse_head_count(value)
            if count:
                # "just me and my sister": the solo phrase is only part of the answer, which says 2
                if whole and count.high == 1 and whole.low > 1:
                    count = whole
                return {Slots.HEAD_COUNT: head_count_to_slot(count)}
        if whole:
            return {Slots.HEAD_COUNT: head_count_to_slot(whole)}
        if self._skipped(tracker, Slots.HEAD_COUNT):
            return {Slots.HEAD_COUNT: UNKNOWN}
        return {Slots.HEAD_COUNT: NOT_UNDERSTOOD} if _tried_to_answer(tracker, Slots.HEAD_COUNT) else {}

    async def extract_budget(self, dispatcher, tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        if self._skipped(tracker, Slots.BUDGET):
            return {Slots.BUDGET: SKIPPED[Slots.BUDGET]}
        budget = parse_budget(tracker.latest_message.get("text") or "")
        # Unasked, take only an unmistakable amount: with a currency or a period.
        clear = budget and budget.kind == "amount" and (budget.currency or budget.period)
        if budget and (clear or self._asked(tracker, Slots.BUDGET)):
            # "每月500" in a Chinese conversation is yuan: stored so, the plan and its prices agree whatever
            # language the conversation later turns to.
            home = data_for(tracker).home_currency
            if budget.kind == "amount" and budget.currency is None and home:
                budget = replace(budget, currency=home)
            return {Slots.BUDGET: budget_to_slot(budget)}
        return {Slots.BUDGET: NOT_UNDERSTOOD} if _tried_to_answer(tracker, Slots.BUDGET) else {}

    async def extract_tools(self, dispatcher, tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        asked = self._asked(tracker, Slots.TOOLS)
        text = tracker.latest_message.get("text") or ""
        mentions = [e for e in tracker.latest_message.get("entities", [])
                    if e.get("entity") == Entities.TOOL and isinstance(e.get("value"), str)]
        # "no website yet": a tool they do not have is not a tool they use
        found = [e["value"] for e in mentions if (asked or e["value"] != NO_TOOLS)
                 and (e["value"] == NO_TOOLS or not negated(text.lower(), e.get("start") or 0))]
        if found or (asked and mentions):
            keep = [t for t in found if t != NO_TOOLS] or [NO_TOOLS]
            return {Slots.TOOLS: sorted(set(keep))}
        if self._skipped(tracker, Slots.TOOLS) or (asked and _says_something_else(tracker)):
            return {Slots.TOOLS: [UNKNOWN]}
        return {Slots.TOOLS: [NOT_UNDERSTOOD]} if _tried_to_answer(tracker, Slots.TOOLS) else {}

    async def extract_goal(self, dispatcher, tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        found = _entity_values(tracker, Entities.GOAL)
        if found:
            return {Slots.GOAL: found[0]}
        if self._skipped(tracker, Slots.GOAL):
            return {Slots.GOAL: UNKNOWN}
        if not _tried_to_answer(tracker, Slots.GOAL):
            return {}
        # "our presses keep stopping", "clients don't turn up": a problem in the owner's own words
        understood = _understood(tracker, Slots.GOAL)
        if understood:
            return {Slots.GOAL: understood}
        text = _text(tracker)
        if _says_something_else(tracker):
            return {Slots.GOAL: WANTS_OWN_WORDS}  # the question comes again, asking for it in a few words
        if (misses_of(tracker).get(Slots.GOAL, 0) >= 2 or _after_something_else(tracker)) and re.search(r"\w{2}", text):
            return {Slots.GOAL: OWN_WORDS}  # asked twice already: keep what they said, plan with general steps
        return {Slots.GOAL: NOT_UNDERSTOOD}

    async def extract_profile_confirmed(self, dispatcher, tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        if tracker.get_slot(Slots.REQUESTED_SLOT) != Slots.PROFILE_CONFIRMED:
            return {}
        intent = _intent(tracker)
        if intent == Intents.AFFIRM:
            return {Slots.PROFILE_CONFIRMED: True}
        return {Slots.PROFILE_CONFIRMED: False} if intent == Intents.DENY else {}

    # A value that could not be understood empties the slot, so the form asks again (counted in
    # `misses`); after GIVE_UP_AFTER in a row the question is left open, as if skipped.
    def _keep(self, tracker: Tracker, slot: str, value: Any) -> Dict[Text, Any]:
        if (value == NOT_UNDERSTOOD or value == [NOT_UNDERSTOOD]) and _intent(tracker) == Intents.REQUEST_ADVICE:
            value = None  # "what should we do first?": answered before the question, and no miss
            misses = misses_value(tracker)
        elif value == NOT_UNDERSTOOD or value == [NOT_UNDERSTOOD]:
            misses = counted_miss(tracker, slot)
            value = SKIPPED[slot] if misses[slot]["n"] >= GIVE_UP_AFTER else None
        else:
            misses = {k: v for k, v in misses_value(tracker).items() if k != slot}
        return {slot: value, Slots.MISSES: misses, Slots.PROFILE_CONFIRMED: None}

    async def validate_industry(self, value, dispatcher, tracker, domain):
        return self._keep(tracker, Slots.INDUSTRY, value)

    async def validate_head_count(self, value, dispatcher, tracker, domain):
        return self._keep(tracker, Slots.HEAD_COUNT, value)

    async def validate_budget(self, value, dispatcher, tracker, domain):
        return self._keep(tracker, Slots.BUDGET, value)

    async def validate_tools(self, value, dispatcher, tracker, domain):
        return self._keep(tracker, Slots.TOOLS, value)

    async def validate_goal(self, value, dispatcher, tracker, domain):
        if value == WANTS_OWN_WORDS:
            return {Slots.GOAL: None, Slots.GOAL_WORDS: None, Slots.PROFILE_CONFIRMED: None}
        # The words go with the goal here: rasa-sdk keeps only what validation returns for a form's slots.
        words = _text(tracker)[:200] if value == OWN_WORDS else None
        return {**self._keep(tracker, Slots.GOAL, value), Slots.GOAL_WORDS: words}

    async def validate_profile_confirmed(self, value, dispatcher, tracker, domain):
        # "No" means "let me change something": ask again after the correction.
        return {Slots.PROFILE_CONFIRMED: True if value is True else None}


class AskProfileQuestion:
    """Mixin that asks for one profile slot; says so first when the last answer was not understood.

    A mixin, not an Action subclass: rasa-sdk registers every Action subclass it finds.
    """

    slot = ""

    def name(self) -> Text:
        return ASK_ACTIONS[self.slot]

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        replies = data_for(tracker).replies
        question = replies.render(f"ask_{self.slot}")
        misses = misses_of(tracker).get(self.slot, 0) if _tried_to_answer(tracker, self.slot) else 0
        if self.slot == Slots.GOAL and _says_something_else(tracker):
            question = replies.render("own_words_prompt")
        elif misses == 1:  # once more, with a hint (an off-topic remark was answered already: no apology)
            hinted = replies.joined("sentences", [question["text"], replies.text(f"hint_{self.slot}")])
            off_topic = _intent(tracker) == Intents.OUT_OF_SCOPE
            question["text"] = hinted if off_topic else replies.text("not_understood", question=hinted)
        elif misses >= 2:  # the choices as buttons, and a way out
            choose = replies.render("choose_goal" if self.slot == Slots.GOAL else "choose")
            extra = [b for b in choose["buttons"]
                     if self.slot in WITH_SOMETHING_ELSE or b["payload"].lower() not in _something_else_payloads()]
            question = {"text": choose["text"], "buttons": question["buttons"] + extra}
        text = replies.joined("sentences", [self._noted(tracker), self._leads_to_plan(tracker), question["text"]])
        dispatcher.utter_message(**{**question, "text": text})
        return []

    def _noted(self, tracker: Tracker) -> Optional[str]:
        """A few words that acknowledge a correction of another answer ("actually we're 9 people")."""
        data, (changed, asked) = data_for(tracker), _set_this_turn(tracker)
        said = []
        for slot, value in changed.items():
            if slot in (self.slot, asked) or slot not in NOTED or value in (None, UNKNOWN, [UNKNOWN]):
                continue
            said.append(NOTED[slot](data, value))
        return data.replies.text("correction_noted", what=data.replies.joined("semicolon", said)) if any(said) else None

    def _leads_to_plan(self, tracker: Tracker) -> Optional[str]:
        """"What should we do first?" in the middle of the questions: they lead to exactly that."""
        if _intent(tracker) == Intents.REQUEST_ADVICE and _set_this_turn(tracker)[1]:  # a question was open
            return data_for(tracker).replies.text("questions_lead_to_plan")
        return None


def _budget(data, value) -> str:
    return budget_phrase(data, budget_from_slot(value), in_plan=False)


def _tools(data, value) -> str:
    if not isinstance(value, list):
        return ""
    return data.replies.joined("list_comma", (data.replies.label(t) for t in value if t != NO_TOOLS))


# How a corrected answer is said back, per slot.
NOTED = {
    Slots.INDUSTRY: lambda data, value: data.replies.label(value) if value != OTHER_INDUSTRY else "",
    Slots.HEAD_COUNT: lambda data, value: people_text(data.replies, value),
    Slots.BUDGET: _budget,
    Slots.TOOLS: _tools,
    Slots.GOAL: lambda data, value: data.replies.label(value) if value != OWN_WORDS else "",
}
WITH_SOMETHING_ELSE = {Slots.INDUSTRY, Slots.TOOLS, Slots.GOAL}


class ActionAskIndustry(AskProfileQuestion, Action):
    slot = Slots.INDUSTRY


class ActionAskHeadCount(AskProfileQuestion, Action):
    slot = Slots.HEAD_COUNT


class ActionAskBudget(AskProfileQuestion, Action):
    slot = Slots.BUDGET


class ActionAskTools(AskProfileQuestion, Action):
    slot = Slots.TOOLS


class ActionAskGoal(AskProfileQuestion, Action):
    slot = Slots.GOAL


class ActionAskProfileConfirmed(Action):
    """Reads the profile back in one line, or asks what to change after a "no"."""

    def name(self) -> Text:
        return Actions.ASK_PROFILE_CONFIRMED

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        data = data_for(tracker)
        if tracker.get_slot(Slots.REQUESTED_SLOT) == Slots.PROFILE_CONFIRMED and _intent(tracker) == Intents.DENY:
            dispatcher.utter_message(**data.replies.render("what_to_change"))
        else:
            dispatcher.utter_message(**data.replies.render("confirm_profile", summary=summary(data, tracker.slots)))
        return []


class ActionStopForm(Action):
    def name(self) -> Text:
        return Actions.STOP_FORM

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        dispatcher.utter_message(**data_for(tracker).replies.render("form_stopped"))
        return [ActiveLoop(None), SlotSet(Slots.REQUESTED_SLOT, None)]
