"""The profile form: its questions, and turning each answer into slot values.

Every slot is extracted here (custom mappings) so that free text, buttons, several
answers in one message, corrections and "skip" all work the same way.
"""
from __future__ import annotations

from typing import Any, Dict, List, Optional, Text

from rasa_sdk import Action, FormValidationAction, Tracker
from rasa_sdk.events import ActiveLoop, EventType, SlotSet
from rasa_sdk.executor import CollectingDispatcher
from rasa_sdk.types import DomainDict

from bot.advice.data import advice_data
from bot.advice.plan_text import summary
from bot.advice.profile_parsing import Budget, parse_budget, parse_head_count
from bot.advice.slots import NO_TOOLS, OTHER_INDUSTRY, UNKNOWN, budget_to_slot, head_count_to_slot
from bot.names import Actions, Entities, Intents, Slots

# Intents that answer the question asked; anything else is a digression the rules handle.
ANSWER_INTENTS = {Intents.INFORM, Intents.SKIP_QUESTION, Intents.AFFIRM, Intents.DENY, Intents.FALLBACK,
                  Intents.REQUEST_ADVICE}
NOT_UNDERSTOOD = "__not_understood__"
ASK_ACTIONS = {Slots.INDUSTRY: Actions.ASK_INDUSTRY, Slots.HEAD_COUNT: Actions.ASK_HEAD_COUNT,
               Slots.BUDGET: Actions.ASK_BUDGET, Slots.TOOLS: Actions.ASK_TOOLS, Slots.GOAL: Actions.ASK_GOAL}


def _entity_values(tracker: Tracker, entity: str) -> List[str]:
    return [e["value"] for e in tracker.latest_message.get("entities", []) if e.get("entity") == entity]


def _intent(tracker: Tracker) -> Optional[str]:
    return (tracker.latest_message.get("intent") or {}).get("name")


PROFILE_ENTITIES = (Entities.INDUSTRY, Entities.COMPANY_SIZE, Entities.TOOL, Entities.GOAL, Entities.CURRENCY)


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
            dispatcher.utter_message(**advice_data().replies.render("consent"))
        return []


class ValidateFirmProfileForm(FormValidationAction):
    def name(self) -> Text:
        return Actions.VALIDATE_FIRM_PROFILE

    def _asked(self, tracker: Tracker, slot: str) -> bool:
        return tracker.get_slot(Slots.REQUESTED_SLOT) == slot and _intent(tracker) in ANSWER_INTENTS

    def _skipped(self, tracker: Tracker, slot: str) -> bool:
        return self._asked(tracker, slot) and _intent(tracker) == Intents.SKIP_QUESTION

    async def extract_industry(self, dispatcher, tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        found = _entity_values(tracker, Entities.INDUSTRY)
        if found:
            return {Slots.INDUSTRY: found[-1]}  # the last one mentioned wins ("no wait, a cafe")
        if self._skipped(tracker, Slots.INDUSTRY):
            return {Slots.INDUSTRY: UNKNOWN}
        if _tried_to_answer(tracker, Slots.INDUSTRY) and _intent(tracker) == Intents.INFORM:
            return {Slots.INDUSTRY: OTHER_INDUSTRY}  # a trade we have no word for ("we make candles")
        return {Slots.INDUSTRY: NOT_UNDERSTOOD} if _tried_to_answer(tracker, Slots.INDUSTRY) else {}

    async def extract_head_count(self, dispatcher, tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        for value in reversed(_entity_values(tracker, Entities.COMPANY_SIZE)):
            count = parse_head_count(value)
            if count:
                return {Slots.HEAD_COUNT: head_count_to_slot(count)}
        if self._skipped(tracker, Slots.HEAD_COUNT):
            return {Slots.HEAD_COUNT: UNKNOWN}
        if self._asked(tracker, Slots.HEAD_COUNT):
            count = parse_head_count(tracker.latest_message.get("text") or "")
            if count:
                return {Slots.HEAD_COUNT: head_count_to_slot(count)}
        return {Slots.HEAD_COUNT: NOT_UNDERSTOOD} if _tried_to_answer(tracker, Slots.HEAD_COUNT) else {}

    async def extract_budget(self, dispatcher, tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        if self._skipped(tracker, Slots.BUDGET):
            return {Slots.BUDGET: budget_to_slot(Budget("unknown", None, None, None))}
        budget = parse_budget(tracker.latest_message.get("text") or "")
        # Unasked, take only an unmistakable amount: with a currency or a period.
        clear = budget and budget.kind == "amount" and (budget.currency or budget.period)
        if budget and (clear or self._asked(tracker, Slots.BUDGET)):
            return {Slots.BUDGET: budget_to_slot(budget)}
        return {Slots.BUDGET: NOT_UNDERSTOOD} if _tried_to_answer(tracker, Slots.BUDGET) else {}

    async def extract_tools(self, dispatcher, tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        asked = self._asked(tracker, Slots.TOOLS)
        found = [t for t in _entity_values(tracker, Entities.TOOL) if asked or t != NO_TOOLS]
        if found:
            keep = [t for t in found if t != NO_TOOLS] or [NO_TOOLS]
            return {Slots.TOOLS: sorted(set(keep))}
        if self._skipped(tracker, Slots.TOOLS):
            return {Slots.TOOLS: [UNKNOWN]}
        return {Slots.TOOLS: [NOT_UNDERSTOOD]} if _tried_to_answer(tracker, Slots.TOOLS) else {}

    async def extract_goal(self, dispatcher, tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        found = _entity_values(tracker, Entities.GOAL)
        if found:
            return {Slots.GOAL: found[0]}
        if self._skipped(tracker, Slots.GOAL):
            return {Slots.GOAL: UNKNOWN}
        return {Slots.GOAL: NOT_UNDERSTOOD} if _tried_to_answer(tracker, Slots.GOAL) else {}

    async def extract_profile_confirmed(self, dispatcher, tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        if tracker.get_slot(Slots.REQUESTED_SLOT) != Slots.PROFILE_CONFIRMED:
            return {}
        intent = _intent(tracker)
        if intent == Intents.AFFIRM:
            return {Slots.PROFILE_CONFIRMED: True}
        return {Slots.PROFILE_CONFIRMED: False} if intent == Intents.DENY else {}

    # A value that could not be understood empties the slot, so the form asks again.
    def _keep(self, slot: str, value: Any) -> Dict[Text, Any]:
        not_understood = value == NOT_UNDERSTOOD or value == [NOT_UNDERSTOOD]
        return {slot: None if not_understood else value}

    async def validate_industry(self, value, dispatcher, tracker, domain):
        return {**self._keep(Slots.INDUSTRY, value), Slots.PROFILE_CONFIRMED: None}

    async def validate_head_count(self, value, dispatcher, tracker, domain):
        return {**self._keep(Slots.HEAD_COUNT, value), Slots.PROFILE_CONFIRMED: None}

    async def validate_budget(self, value, dispatcher, tracker, domain):
        return {**self._keep(Slots.BUDGET, value), Slots.PROFILE_CONFIRMED: None}

    async def validate_tools(self, value, dispatcher, tracker, domain):
        return {**self._keep(Slots.TOOLS, value), Slots.PROFILE_CONFIRMED: None}

    async def validate_goal(self, value, dispatcher, tracker, domain):
        return {**self._keep(Slots.GOAL, value), Slots.PROFILE_CONFIRMED: None}

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
        question = advice_data().replies.render(f"ask_{self.slot}")
        if _tried_to_answer(tracker, self.slot):
            question["text"] = advice_data().replies.render("not_understood", question=question["text"])["text"]
        dispatcher.utter_message(**question)
        return []


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
        data = advice_data()
        if tracker.get_slot(Slots.REQUESTED_SLOT) == Slots.PROFILE_CONFIRMED and _intent(tracker) == Intents.DENY:
            dispatcher.utter_message(**data.replies.render("what_to_change"))
        else:
            dispatcher.utter_message(**data.replies.render("confirm_profile", summary=summary(data, tracker.slots)))
        return []


class ActionStopForm(Action):
    def name(self) -> Text:
        return Actions.STOP_FORM

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        dispatcher.utter_message(**advice_data().replies.render("form_stopped"))
        return [ActiveLoop(None), SlotSet(Slots.REQUESTED_SLOT, None)]
