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

from bot.advice import NO_TOOLS, OTHER_INDUSTRY, UNKNOWN, advice_data, budget_to_slot, head_count_to_slot, summary
from bot.profile_parsing import Budget, parse_budget, parse_head_count

FORM = "firm_profile_form"
# Intents that answer the question asked; anything else is a digression the rules handle.
ANSWER_INTENTS = {"inform", "skip_question", "affirm", "deny", "nlu_fallback", "request_advice"}
NOT_UNDERSTOOD = "__not_understood__"


def _entity_values(tracker: Tracker, entity: str) -> List[str]:
    return [e["value"] for e in tracker.latest_message.get("entities", []) if e.get("entity") == entity]


def _intent(tracker: Tracker) -> Optional[str]:
    return (tracker.latest_message.get("intent") or {}).get("name")


PROFILE_ENTITIES = ("industry", "company_size", "tool", "goal", "currency")


def _tried_to_answer(tracker: Tracker, slot: str) -> bool:
    """The message answers the question about `slot` but we could not use it.

    A message that fills another slot instead ("actually we're 12 people") is a
    correction, not a failed answer.
    """
    if tracker.get_slot("requested_slot") != slot or _intent(tracker) not in ANSWER_INTENTS - {"skip_question"}:
        return False
    return not any(e.get("entity") in PROFILE_ENTITIES for e in tracker.latest_message.get("entities", []))


class ActionAdviceIntro(Action):
    """Says what the assistant keeps and why, before asking anything."""

    def name(self) -> Text:
        return "action_advice_intro"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        if not tracker.get_slot("profile_confirmed"):
            dispatcher.utter_message(**advice_data().replies.render("consent"))
        return []


class ValidateFirmProfileForm(FormValidationAction):
    def name(self) -> Text:
        return "validate_firm_profile_form"

    def _asked(self, tracker: Tracker, slot: str) -> bool:
        return tracker.get_slot("requested_slot") == slot and _intent(tracker) in ANSWER_INTENTS

    def _skipped(self, tracker: Tracker, slot: str) -> bool:
        return self._asked(tracker, slot) and _intent(tracker) == "skip_question"

    async def extract_industry(self, dispatcher, tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        found = _entity_values(tracker, "industry")
        if found:
            return {"industry": found[-1]}  # the last one mentioned wins ("no wait, a cafe")
        if self._skipped(tracker, "industry"):
            return {"industry": UNKNOWN}
        if _tried_to_answer(tracker, "industry") and _intent(tracker) == "inform":
            return {"industry": OTHER_INDUSTRY}  # a trade we have no word for ("we make candles")
        return {"industry": NOT_UNDERSTOOD} if _tried_to_answer(tracker, "industry") else {}

    async def extract_head_count(self, dispatcher, tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        for value in reversed(_entity_values(tracker, "company_size")):
            count = parse_head_count(value)
            if count:
                return {"head_count": head_count_to_slot(count)}
        if self._skipped(tracker, "head_count"):
            return {"head_count": UNKNOWN}
        if self._asked(tracker, "head_count"):
            count = parse_head_count(tracker.latest_message.get("text") or "")
            if count:
                return {"head_count": head_count_to_slot(count)}
        return {"head_count": NOT_UNDERSTOOD} if _tried_to_answer(tracker, "head_count") else {}

    async def extract_budget(self, dispatcher, tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        if self._skipped(tracker, "budget"):
            return {"budget": budget_to_slot(Budget("unknown", None, None, None))}
        budget = parse_budget(tracker.latest_message.get("text") or "")
        # Unasked, take only an unmistakable amount: with a currency or a period.
        clear = budget and budget.kind == "amount" and (budget.currency or budget.period)
        if budget and (clear or self._asked(tracker, "budget")):
            return {"budget": budget_to_slot(budget)}
        return {"budget": NOT_UNDERSTOOD} if _tried_to_answer(tracker, "budget") else {}

    async def extract_tools(self, dispatcher, tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        asked = self._asked(tracker, "tools")
        found = [t for t in _entity_values(tracker, "tool") if asked or t != NO_TOOLS]
        if found:
            keep = [t for t in found if t != NO_TOOLS] or [NO_TOOLS]
            return {"tools": sorted(set(keep))}
        if self._skipped(tracker, "tools"):
            return {"tools": [UNKNOWN]}
        return {"tools": [NOT_UNDERSTOOD]} if _tried_to_answer(tracker, "tools") else {}

    async def extract_goal(self, dispatcher, tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        found = _entity_values(tracker, "goal")
        if found:
            return {"goal": found[0]}
        if self._skipped(tracker, "goal"):
            return {"goal": UNKNOWN}
        return {"goal": NOT_UNDERSTOOD} if _tried_to_answer(tracker, "goal") else {}

    async def extract_profile_confirmed(self, dispatcher, tracker: Tracker, domain: DomainDict) -> Dict[Text, Any]:
        if tracker.get_slot("requested_slot") != "profile_confirmed":
            return {}
        intent = _intent(tracker)
        if intent == "affirm":
            return {"profile_confirmed": True}
        return {"profile_confirmed": False} if intent == "deny" else {}

    # A value that could not be understood empties the slot, so the form asks again.
    def _keep(self, slot: str, value: Any) -> Dict[Text, Any]:
        not_understood = value == NOT_UNDERSTOOD or value == [NOT_UNDERSTOOD]
        return {slot: None if not_understood else value}

    async def validate_industry(self, value, dispatcher, tracker, domain):
        return {**self._keep("industry", value), "profile_confirmed": None}

    async def validate_head_count(self, value, dispatcher, tracker, domain):
        return {**self._keep("head_count", value), "profile_confirmed": None}

    async def validate_budget(self, value, dispatcher, tracker, domain):
        return {**self._keep("budget", value), "profile_confirmed": None}

    async def validate_tools(self, value, dispatcher, tracker, domain):
        return {**self._keep("tools", value), "profile_confirmed": None}

    async def validate_goal(self, value, dispatcher, tracker, domain):
        return {**self._keep("goal", value), "profile_confirmed": None}

    async def validate_profile_confirmed(self, value, dispatcher, tracker, domain):
        # "No" means "let me change something": ask again after the correction.
        return {"profile_confirmed": True if value is True else None}


class AskProfileQuestion:
    """Mixin that asks for one profile slot; says so first when the last answer was not understood.

    A mixin, not an Action subclass: rasa-sdk registers every Action subclass it finds.
    """

    slot = ""

    def name(self) -> Text:
        return f"action_ask_{self.slot}"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        question = advice_data().replies.render(f"ask_{self.slot}")
        if _tried_to_answer(tracker, self.slot):
            question["text"] = advice_data().replies.render("not_understood", question=question["text"])["text"]
        dispatcher.utter_message(**question)
        return []


class ActionAskIndustry(AskProfileQuestion, Action):
    slot = "industry"


class ActionAskHeadCount(AskProfileQuestion, Action):
    slot = "head_count"


class ActionAskBudget(AskProfileQuestion, Action):
    slot = "budget"


class ActionAskTools(AskProfileQuestion, Action):
    slot = "tools"


class ActionAskGoal(AskProfileQuestion, Action):
    slot = "goal"


class ActionAskProfileConfirmed(Action):
    """Reads the profile back in one line, or asks what to change after a "no"."""

    def name(self) -> Text:
        return "action_ask_profile_confirmed"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        data = advice_data()
        if tracker.get_slot("requested_slot") == "profile_confirmed" and _intent(tracker) == "deny":
            dispatcher.utter_message(**data.replies.render("what_to_change"))
        else:
            dispatcher.utter_message(**data.replies.render("confirm_profile", summary=summary(data, tracker.slots)))
        return []


class ActionStopForm(Action):
    def name(self) -> Text:
        return "action_stop_form"

    async def run(self, dispatcher: CollectingDispatcher, tracker: Tracker, domain: DomainDict) -> List[EventType]:
        dispatcher.utter_message(**advice_data().replies.render("form_stopped"))
        return [ActiveLoop(None), SlotSet("requested_slot", None)]
