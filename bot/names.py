"""Every Rasa name that Python code uses, defined once: intents, actions, slots, forms, entities,
and the sender-id prefixes of our channels.

The YAML data (domain.yml, data/) is where these names are declared for Rasa; this module is where
Python takes them from, so a rename is one edit here plus the YAML. `tests/unit/test_names.py`
checks both sides against each other. Pure: no Rasa import.
"""
from __future__ import annotations


class Intents:
    GREET = "greet"
    GOODBYE = "goodbye"
    THANK = "thank"
    BOT_CHALLENGE = "bot_challenge"
    START_OVER = "start_over"
    OUT_OF_SCOPE = "out_of_scope"
    TELL_ME_MORE = "tell_me_more"
    REQUEST_ADVICE = "request_advice"
    FAQ = "faq"  # the retrieval intent: its topics are `faq/<topic>`
    FALLBACK = "nlu_fallback"  # Rasa's name for "no intent fits"
    INFORM = "inform"
    AFFIRM = "affirm"
    DENY = "deny"
    SKIP_QUESTION = "skip_question"
    STOP = "stop"
    ASK_WHY = "ask_why"
    ASK_STEP_DETAILS = "ask_step_details"
    ASK_CHEAPER = "ask_cheaper"
    ALREADY_HAVE = "already_have"
    SHOW_PLAN = "show_plan"
    DELETE_MY_DATA = "delete_my_data"
    REPORT_PROGRESS = "report_progress"
    TALK_TO_PERSON = "talk_to_person"  # a consultant, an adviser, a human
    SWITCH_LANGUAGE = "switch_language"  # "English please", "说中文", Telegram's /lang
    REQUEST_PLAN_FILE = "request_plan_file"  # "send me the plan": a PDF and a Markdown file to take away


class Forms:
    FIRM_PROFILE = "firm_profile_form"
    HANDOFF = "handoff_form"  # consent to pass the profile and plan on, then a contact


class Slots:
    INPUT_PROBLEM = "input_problem"
    EXPLAIN_STATUS = "explain_status"
    INDUSTRY = "industry"
    HEAD_COUNT = "head_count"
    BUDGET = "budget"
    TOOLS = "tools"
    GOAL = "goal"
    GOAL_WORDS = "goal_words"  # the owner's own words for a goal no key fits
    PROFILE_CONFIRMED = "profile_confirmed"
    MISSES = "misses"  # per question, answers in a row that could not be understood
    PLAN = "plan"  # the plan last given, as a record (bot.advice.plan_record.PlanRecord.to_dict())
    FOCUS_STEP = "focus_step"
    CHECKIN_STEP = "checkin_step"  # the step of the plan a progress check-in is asking about (1, 2, ...)
    RETURNING_USER = "returning_user"
    DATA_DELETED = "data_deleted"
    HANDOFF_CONSENT = "handoff_consent"  # the consent question as the owner saw it when they said yes; False for no
    HANDOFF_OFFER = "handoff_offer"  # what the consent question offered: {"words", "profile", "plan"}
    CONTACT = "contact"  # {"kind": "email" or "phone", "value": ...}, read and checked by bot.handoff.contact
    LANGUAGE = "language"  # the conversation's language, "en" or "zh" (bot.nlu.language)
    REQUESTED_SLOT = "requested_slot"  # Rasa's own: the slot a form is asking for
    SESSION_STARTED_METADATA = "session_started_metadata"  # Rasa's own: the first message's metadata


# The plan's step ids, a slot of conversations stored before plans were records; the review tools read it.
LEGACY_PLAN_STEPS_SLOT = "plan_steps"


class Entities:
    INDUSTRY = "industry"
    COMPANY_SIZE = "company_size"
    TOOL = "tool"
    GOAL = "goal"
    CURRENCY = "currency"
    STEP_NUMBER = "step_number"
    PROGRESS = "progress"
    INPUT_PROBLEM = "input_problem"
    LANGUAGE = "language"  # set by bot.nlu.components.LanguageTagger


class Progress:
    """Values of the `progress` entity (data/entities/progress.yml): how a step of a plan went."""

    DONE = "done"
    STARTED = "started"
    NOT_STARTED = "not_started"
    SKIPPED = "skipped"
    STUCK = "stuck"  # said in words only; stored as started
    STORED = (DONE, STARTED, NOT_STARTED, SKIPPED)  # a check-in's status (bot/storage, table checkins)


def _ask(slot: str) -> str:
    return f"action_ask_{slot}"  # Rasa's convention for the action that asks a form's slot


class Actions:
    TELL_ME_MORE = "action_tell_me_more"
    CHECK_INPUT = "action_check_input"
    ADVICE_INTRO = "action_advice_intro"
    VALIDATE_FIRM_PROFILE = f"validate_{Forms.FIRM_PROFILE}"
    ASK_INDUSTRY = _ask(Slots.INDUSTRY)
    ASK_HEAD_COUNT = _ask(Slots.HEAD_COUNT)
    ASK_BUDGET = _ask(Slots.BUDGET)
    ASK_TOOLS = _ask(Slots.TOOLS)
    ASK_GOAL = _ask(Slots.GOAL)
    ASK_PROFILE_CONFIRMED = _ask(Slots.PROFILE_CONFIRMED)
    MAKE_PLAN = "action_make_plan"
    SHOW_PLAN = "action_show_plan"
    EXPLAIN_STEP = "action_explain_step"
    STEP_DETAILS = "action_step_details"
    CHEAPER_PLAN = "action_cheaper_plan"
    ALREADY_HAVE = "action_already_have"
    STOP_FORM = "action_stop_form"
    DELETE_MY_DATA = "action_delete_my_data"
    CHECK_RETURNING_USER = "action_check_returning_user"
    WELCOME_BACK = "action_welcome_back"
    PROGRESS_REPLY = "action_progress_reply"
    SEND_PLAN_FILE = "action_send_plan_file"
    HANDOFF_INTRO = "action_handoff_intro"
    VALIDATE_HANDOFF = f"validate_{Forms.HANDOFF}"
    ASK_HANDOFF_CONSENT = _ask(Slots.HANDOFF_CONSENT)
    ASK_CONTACT = _ask(Slots.CONTACT)
    HANDOFF_SUBMIT = "action_handoff_submit"
    ASK_AFFIRMATION = "action_default_ask_affirmation"  # ours: Rasa's two-stage fallback asks "did you mean"
    SWITCH_LANGUAGE = "action_switch_language"
    SESSION_START = "action_session_start"  # ours: Rasa's, plus the channel's language as the first default
    LISTEN = "action_listen"  # Rasa's own: wait for the user


# Actions Rasa defines itself; rules and stories may use them without listing them in domain.yml.
RASA_DEFAULT_ACTIONS = frozenset({
    "action_listen", "action_restart", "action_session_start", "action_default_fallback",
    "action_deactivate_loop", "action_revert_fallback_events", "action_default_ask_affirmation",
    "action_default_ask_rephrase", "action_two_stage_fallback", "action_unlikely_intent",
    "action_back", "action_extract_slots",
})


# Responses Rasa's own actions send (the two-stage fallback), though no rule or story names them.
RASA_DEFAULT_RESPONSES = frozenset({"utter_default", "utter_ask_rephrase"})


class MetadataKeys:
    """What our channels put in a message's metadata."""

    LANGUAGE = "language"  # the user's app or browser language ("zh-CN"): the default for a new conversation


class SenderPrefixes:
    """How a channel marks its conversations' sender ids; the review and stats tools read them."""

    TELEGRAM = "tg-"  # then the chat id
    WEBCHAT = "web-"  # then the visitor's session id
    TRAINER = "trainer-"  # `make shell` with piped input


# Actions that send a new plan (stats count them), and those after which "tell me more" is about
# the plan rather than a concept.
NEW_PLAN_ACTIONS = (Actions.MAKE_PLAN, Actions.CHEAPER_PLAN, Actions.ALREADY_HAVE)
PLAN_TALK_ACTIONS = frozenset(NEW_PLAN_ACTIONS + (
    Actions.SHOW_PLAN, Actions.WELCOME_BACK, Actions.STEP_DETAILS, Actions.EXPLAIN_STEP))


def payload(intent: str) -> str:
    """The button payload that triggers `intent` without NLU, e.g. "/show_plan"."""
    return "/" + intent


def names_of(namespace: type) -> dict[str, str]:
    """The constants of one of the classes above, e.g. names_of(Intents)["GREET"] == "greet"."""
    return {key: value for key, value in vars(namespace).items() if key.isupper() and isinstance(value, str)}
