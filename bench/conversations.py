"""The scripted conversations the benchmark sends, with seeded variation in their wording.

Every step has several phrasings, and dx-advisor's concept questions are drawn from a larger set, so
that no cache (NLU, featurisers, responses) sees the same text every time and flatters the figures.
Each step also names words its reply must contain. `python -m bench --check` plays every phrasing at
least once against the running bots and fails if a reply is not the one the script expects: a
benchmark that measured the fallback path would be worthless.
"""
from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Callable, Iterator, Sequence, TypeVar

T = TypeVar("T")


@dataclass(frozen=True)
class Step:
    """One message, and words of which its reply must contain at least one (any case)."""

    text: str
    expect: tuple[str, ...] = ()

    def answered_by(self, reply_text: str) -> bool:
        folded = reply_text.casefold()
        return not self.expect or any(word.casefold() in folded for word in self.expect)


@dataclass(frozen=True)
class Topic:
    name: str
    phrasings: tuple[str, ...]
    expect: tuple[str, ...]


# ---- dx-advisor: a greeting, three concept questions, then the advice form to the plan. ----------

DX_GREETINGS = ("hi", "hello", "good morning", "hey there", "hi, how's it going?", "hello, anyone there?")
DX_GREETING_REPLY = ("Internet+",)  # both greetings introduce what the assistant explains

# The expected words come from each answer in data/responses/faq.yml.
DX_TOPICS = (
    Topic("what_is_internet_plus", ("what is Internet+?", "so what does internet plus actually mean?",
                                    "can you explain internet+ in plain words",
                                    "what was the internet plus idea about"), ("5 March 2015",)),
    Topic("what_is_digital_transformation", ("what is digital transformation?",
                                             "what does digital transformation mean for a company",
                                             "explain digital transformation simply please",
                                             "what do people mean by digital transformation"), ("SASAC",)),
    Topic("difference", ("how do internet+ and digital transformation differ?",
                         "what's the difference between internet plus and digital transformation",
                         "internet+ versus digital transformation, what's different",
                         "are internet+ and digital transformation the same thing?"), ("reaching customers online",)),
    Topic("relationship", ("how are internet+ and digital transformation related?",
                           "is digital transformation the next step after internet plus",
                           "how do internet+ and digital transformation fit together",
                           "what's the connection between internet+ and digital transformation"), ("two stages",)),
    Topic("informatization_vs_digitalization", ("we already have an ERP, aren't we digital already?",
                                                "what's the difference between informatization and digitalization",
                                                "is having an ERP the same as being digital?",
                                                "informatization or digitalization, which is which"),
          ("Informatization",)),
    Topic("why_internet_plus_faded", ("why did internet+ fade?", "why did so many internet plus projects fail",
                                      "what happened to the internet+ wave", "why did internet plus lose steam"),
          ("2015 boom",)),
    Topic("luxury_for_small_firms", ("is digital transformation a luxury for a small firm?",
                                     "can a small business like mine afford to go digital",
                                     "isn't going digital too expensive for a tiny company",
                                     "is it a luxury or a necessity for small firms"), ("luxury",)),
    Topic("why_act_now", ("why should a small business act on this now?", "why not wait a few years?",
                          "why start now and not later", "does it really matter to start now"), ("waiting widens",)),
    Topic("technologies", ("which technologies does digital transformation use?", "what technology is behind all this",
                           "do I need AI and 5G for this", "what tech are we talking about"), ("cloud computing",)),
    Topic("small_fast_light_precise", ("what does small, fast, light and precise mean?", "what is 小快轻准",
                                       "what does MIIT recommend for small firms going digital",
                                       "explain small fast light precise"), ("MIIT",)),
)

# No trade, size or tool in these: the form must ask every question (data/advice/replies.yml).
DX_ADVICE_REQUESTS = ("what should my business do first?", "advice for my firm",
                      "can you suggest first steps for my company?", "help me make a digital plan for my business",
                      "where should a firm like mine start?", "I'd like some advice for my business")
# The profile answers in the order the form asks (domain.yml, firm_profile_form); each reply is the next question.
DX_PROFILE = (
    ("industry", ("we run a small bakery", "it's a hair salon", "a family grocery store",
                  "we make furniture in a small workshop", "I have a dental clinic", "we run a guesthouse in the hills",
                  "a small construction company", "we're an accounting firm", "we grow tea, it's a tea garden",
                  "a courier business in town"), ("How many people",)),
    ("head_count", ("just me", "5 people", "we are 12 staff", "about twenty employees", "three of us", "8",
                    "around 30 people"), ("spend",)),
    ("budget", ("about 100 dollars a month", "200 euros per month", "maybe $50 a month", "1500 a year",
                "2万元 a year", "around 1000 yuan a month", "not sure"), ("Which tools",)),
    ("tools", ("paper and excel", "we use wechat and a cash register", "just a spreadsheet", "instagram and email",
               "accounting software and whatsapp", "a notebook and a card terminal", "nothing really"),
     ("want to improve",)),
    ("goal", ("more customers", "save time on paperwork", "cut costs", "fewer no-shows", "better decisions",
              "keep customers coming back", "we spend too long on admin"), ("Is that right",)),
)
DX_CONFIRMATIONS = ("yes", "yes that's right", "correct", "yep, all good", "that's right")
DX_PLAN_WORDS = ("1. Now:",)  # every plan's first step (data/advice/replies.yml, plan_step)


# ---- the stock bot (rasa init's moodbot): greet, mood, maybe "did that help?", goodbye. -----------

STOCK_GREETINGS = ("hi", "hello there", "hey", "good morning", "hey there", "good evening")
STOCK_GREAT = ("great", "I am feeling very good", "amazing", "I am great", "so good", "wonderful")
STOCK_UNHAPPY = ("I am sad", "not good", "my day was horrible", "I'm so sad", "very sad", "unhappy")
STOCK_YES = ("yes", "of course", "indeed", "that sounds good")
STOCK_NO = ("no", "not really", "I don't think so", "no way")
STOCK_CHALLENGES = ("are you a bot?", "am I talking to a human?", "are you a human?")
STOCK_GOODBYES = ("bye", "goodbye", "see you later", "have a nice day", "bye bye")


class RandomPicks:
    """Choices from a seeded generator: the benchmark's conversations."""

    def __init__(self, rng: random.Random):
        self.rng = rng

    def choice(self, key: str, options: Sequence[T]) -> T:
        return self.rng.choice(options)

    def sample(self, key: str, options: Sequence[T], k: int) -> list[T]:
        return self.rng.sample(list(options), k)


class CoveringPicks:
    """Each option of each choice in turn, so that a few conversations use every phrasing: the check."""

    def __init__(self) -> None:
        self.used: dict[str, list[int]] = {}  # key -> [times picked, number of options]

    def choice(self, key: str, options: Sequence[T]) -> T:
        count = self.used.setdefault(key, [0, len(options)])
        count[0] += 1
        return options[(count[0] - 1) % len(options)]

    def sample(self, key: str, options: Sequence[T], k: int) -> list[T]:
        return [self.choice(key, options) for _ in range(k)]  # consecutive in the cycle: distinct

    def covered(self) -> bool:
        return all(times >= size for times, size in self.used.values())


Picks = RandomPicks | CoveringPicks


def dx_conversation(pick: Picks) -> list[Step]:
    steps = [Step(pick.choice("greet", DX_GREETINGS), DX_GREETING_REPLY)]
    for topic in pick.sample("topics", DX_TOPICS, 3):
        steps.append(Step(pick.choice(topic.name, topic.phrasings), topic.expect))
    steps.append(Step(pick.choice("advice", DX_ADVICE_REQUESTS), ("What kind of business",)))
    for slot, phrasings, next_question in DX_PROFILE:
        steps.append(Step(pick.choice(slot, phrasings), next_question))
    steps.append(Step(pick.choice("confirm", DX_CONFIRMATIONS), DX_PLAN_WORDS))
    return steps


def stock_conversation(pick: Picks) -> list[Step]:
    steps = [Step(pick.choice("greet", STOCK_GREETINGS), ("How are you",))]
    if pick.choice("mood", ("great", "unhappy")) == "great":
        steps.append(Step(pick.choice("great", STOCK_GREAT), ("carry on",)))
    else:
        steps.append(Step(pick.choice("unhappy", STOCK_UNHAPPY), ("Did that help",)))
        if pick.choice("helped", (True, False)):
            steps.append(Step(pick.choice("yes", STOCK_YES), ("carry on",)))
        else:
            steps.append(Step(pick.choice("no", STOCK_NO), ("Bye",)))
    if pick.choice("challenge", (True, False, False)):  # sometimes
        steps.append(Step(pick.choice("challenges", STOCK_CHALLENGES), ("I am a bot",)))
    steps.append(Step(pick.choice("goodbye", STOCK_GOODBYES), ("Bye",)))
    return steps


SCRIPTS: dict[str, Callable[[Picks], list[Step]]] = {"dx": dx_conversation, "stock": stock_conversation}


def conversations(kind: str, seed: int | str) -> Iterator[list[Step]]:
    """An endless, seeded sequence of conversations for a bot of this kind ("dx" or "stock")."""
    script, picks = SCRIPTS[kind], RandomPicks(random.Random(seed))
    while True:
        yield script(picks)


def covering_conversations(kind: str, limit: int = 100) -> list[list[Step]]:
    """The fewest conversations (in this simple scheme) that use every phrasing and branch at least once."""
    script, picks = SCRIPTS[kind], CoveringPicks()
    played = [script(picks)]
    # A choice made only on some branches is known once it was first made: keep going until all are covered.
    while not picks.covered() and len(played) < limit:
        played.append(script(picks))
    return played
