"""English and Chinese: which language a message is in, what a user asks for, the words of mixed
text, Chinese entities, and the actions that switch and start a conversation's language."""
import pytest
import spacy
from rasa.nlu.utils.spacy_utils import SpacyModel
from rasa.shared.nlu.training_data.message import Message
from rasa_sdk import Tracker
from rasa_sdk.executor import CollectingDispatcher

from actions.language import ActionSessionStart, ActionSwitchLanguage, language_of
from bot.advice.data import advice_data
from bot.nlu.components import CanonicalEntityExtractor, LanguageTagger, MixedTokenizer
from bot.nlu.language import (conversation_language, language_from_code, majority_language, requested_language,
                              script_language)
from bot.nlu.spacy_pipeline import ensure_pipeline
from bot.nlu.tokenizer import chinese_words
from bot.nlu.vocabulary import chinese_head_counts, chinese_mentions, load_vocabulary
from bot.paths import ENTITY_DIR, SPACY_PIPELINE_DIR

VOCABULARY = load_vocabulary(ENTITY_DIR)


@pytest.mark.parametrize("text, language", [
    ("什么是互联网+？", "zh"),
    ("what is internet plus", "en"),
    ("我们用Excel和微信", None),  # mixed: the conversation keeps its language
    ("what does 数字化转型 mean", None),
    ("2万元", None),  # numbers and money say nothing
    ("5", None), ("👍", None), ("", None),
    ("五个人", "zh"),
    ("ok", None), ("ＯＫ", None), ("wang@shop.cn", None),  # what Chinese speakers type too
    ("ok thanks", "en"), ("Excel", "en"),
    ("東京で店を経営しています", None),  # Japanese: the input screen answers it
])
def test_the_writing_decides_the_language(text, language):
    assert script_language(text) == language


def test_a_mixed_first_message_goes_by_most_of_its_words():
    assert majority_language("我们用Excel和微信") == "zh"
    assert majority_language("we use 微信 and excel a lot") == "en"
    assert conversation_language(None, "我们用Excel和微信") == "zh"
    assert conversation_language("en", "我们用Excel和微信") == "en"  # the slot wins
    assert conversation_language(None, "👍", hint="zh-CN") == "zh"
    assert conversation_language(None, "👍") == "en"
    assert conversation_language(None, "/affirm", hint="zh") == "zh"  # a button's payload is no writing


@pytest.mark.parametrize("text, language", [
    ("English please", "en"), ("can you speak chinese?", "zh"), ("说中文", "zh"), ("请用英文回答", "en"),
    ("switch from English to Chinese", "zh"), ("不要英文，说中文", "zh"), ("用中文，不要英文", "zh"),
    ("not in english please, mandarin", "zh"), ("switch language", None), ("换个语言", None),
    ("we sell englishtea", None),  # a word that only contains a language's name
    ("我看不懂英文", "zh"), ("英文看不懂", "zh"), ("I can't read chinese", "en"),  # the one they can read
])
def test_the_language_asked_for(text, language):
    assert requested_language(text) == language


@pytest.mark.parametrize("code, language", [("zh-hans", "zh"), ("zh_CN", "zh"), ("zh-TW", "zh"), ("en-GB", "en"),
                                            ("EN", "en"), ("de", None), ("", None), (None, None), (42, None)])
def test_channel_language_codes(code, language):
    assert language_from_code(code) == language


def test_chinese_is_split_into_words_and_our_terms_stay_whole():
    assert chinese_words("数字化转型和信息化有啥区别") == ["数字化转型", "和", "信息化", "有", "啥", "区别"]
    assert chinese_words("我们用excel和企业微信") == ["我们", "用", "excel", "和", "企业微信"]


def test_the_tokenizer_splits_only_tokens_that_hold_chinese():
    ensure_pipeline(ENTITY_DIR, SPACY_PIPELINE_DIR)
    nlp = spacy.load(SPACY_PIPELINE_DIR)
    tokenizer = MixedTokenizer(MixedTokenizer.get_default_config())
    text = "hello, 我们用Excel和微信，怎么办？"
    message = Message({"text": text, "text_spacy_doc": nlp(text)})
    tokens = tokenizer.tokenize(message, "text")
    assert [t.text for t in tokens] == ["hello", ",", "我们", "用", "Excel", "和", "微信", "怎么办", "？"]
    assert all(text[t.start:t.end] == t.text for t in tokens)  # offsets point at the words


def test_chinese_phrases_are_found_longest_first():
    found = [(m.entity, m.value) for m in chinese_mentions("我们用企业微信和Excel，开了家面馆", VOCABULARY)]
    # 企业微信 is team chat, not also 微信 (messaging_app); Excel is found inside the Chinese too
    assert found == [("tool", "team_chat"), ("tool", "spreadsheet"), ("industry", "food_service")]
    assert [m.value for m in chinese_mentions("我们用posts和postgres", VOCABULARY)] == []  # not "pos" inside a word
    spans = [(m.start, m.end) for m in chinese_mentions("我们用企业微信", VOCABULARY)]
    assert spans == [(3, 7)]  # 企业微信, not also 微信 inside it


def test_chinese_head_counts_are_entities():
    text = "厂里有80名工人，办公室五个人"
    assert [text[start:end] for _, start, end in chinese_head_counts(text, VOCABULARY)] == ["80名工人", "五个人"]


@pytest.mark.parametrize("text", ["我一个人忙不过来，想省点时间", "第一个员工是我表哥", "每个人都很忙"])
def test_words_about_one_person_are_no_head_count(text):
    assert chinese_head_counts(text, VOCABULARY) == []


def test_the_extractor_adds_chinese_entities():
    model = SpacyModel(model=spacy.load(SPACY_PIPELINE_DIR), model_name=str(SPACY_PIPELINE_DIR))
    text = "我们是开面馆的，十来个员工"
    [message] = CanonicalEntityExtractor({"dimensions": None}).process([Message({"text": text})], model)
    found = {(e["entity"], e["value"]) for e in message.get("entities")}
    assert ("industry", "food_service") in found
    assert ("company_size", "十来个员工") in found


def _tagged(text, intent="inform", entities=()):
    message = Message({"text": text, "intent": {"name": intent}, "entities": list(entities)})
    LanguageTagger().process([message])
    return [e["value"] for e in message.get("entities") if e["entity"] == "language"]


def test_the_tagger_marks_one_language_messages_and_requests():
    assert _tagged("我们开面馆") == ["zh"]
    assert _tagged("we run a noodle bar") == ["en"]
    assert _tagged("我们用Excel和微信") == []
    assert _tagged("switch to chinese please", intent="switch_language") == ["zh"]
    assert _tagged("switch language", intent="switch_language") == []  # the reply offers both
    assert _tagged("Что это", entities=[{"entity": "input_problem", "value": "other_language"}]) == []


def _tracker(slots=None, text="", entities=(), metadata=None, events=()):
    latest = {"text": text, "intent": {"name": "switch_language"}, "entities": list(entities),
              "metadata": metadata or {}}
    return Tracker("user-1", slots or {}, latest, list(events), False, None, {}, "action_listen")


async def test_switching_says_so_in_the_new_language():
    dispatcher = CollectingDispatcher()
    events = await ActionSwitchLanguage().run(
        dispatcher, _tracker({"language": "en"}, "说中文", [{"entity": "language", "value": "zh"}]), {})
    assert events == [{"event": "slot", "name": "language", "value": "zh", "timestamp": None}]
    assert [m["text"] for m in dispatcher.messages] == [advice_data("zh").replies.text("language_switched")]


async def test_a_switch_that_names_no_language_offers_both():
    dispatcher = CollectingDispatcher()
    events = await ActionSwitchLanguage().run(dispatcher, _tracker({"language": "zh"}, "换个语言"), {})
    assert events == []
    [message] = dispatcher.messages
    assert message["text"] == advice_data("zh").replies.text("choose_language")
    assert [b["payload"] for b in message["buttons"]] == ['/switch_language{"language":"en"}',
                                                           '/switch_language{"language":"zh"}']


async def test_a_new_conversation_starts_in_the_channels_language():
    events = await ActionSessionStart().run(
        CollectingDispatcher(), _tracker({"session_started_metadata": {"language": "zh-hans"}}), {})
    assert [e["event"] for e in events] == ["session_started", "slot", "slot", "action"]
    assert {"event": "slot", "name": "language", "value": "zh", "timestamp": None} in events
    assert events[-1]["name"] == "action_listen"


async def test_a_new_session_keeps_the_language_and_the_other_slots():
    slots = {"language": "en", "industry": "retail", "plan": None, "session_started_metadata": {"language": "zh"}}
    events = await ActionSessionStart().run(CollectingDispatcher(), _tracker(slots), {})
    carried = {e["name"]: e["value"] for e in events if e["event"] == "slot"}
    assert carried == {"language": "en", "industry": "retail", "session_started_metadata": {"language": "zh"}}


async def test_after_a_restart_the_conversation_keeps_the_language_it_was_in():
    before = [{"event": "slot", "name": "language", "value": "zh"}, {"event": "slot", "name": "industry", "value": "retail"},
              {"event": "restart"}]
    events = await ActionSessionStart().run(CollectingDispatcher(), _tracker({}, events=before), {})
    assert [(e["event"], e.get("name"), e.get("value")) for e in events] == [
        ("session_started", None, None), ("slot", "language", "zh"), ("action", "action_listen", None)]


def test_actions_answer_in_the_slots_language_else_the_messages():
    assert language_of(_tracker({"language": "zh"}, "hello")) == "zh"
    assert language_of(_tracker({}, "你好")) == "zh"
    assert language_of(_tracker({}, "👍", metadata={"language": "zh-CN"})) == "zh"
    assert language_of(_tracker({}, "👍")) == "en"


async def test_a_failure_is_apologised_for_in_the_messages_language():
    from rasa.core.channels.channel import CollectingOutputChannel, UserMessage

    from bot.channels import texts
    from bot.channels.guard import never_crash

    async def broken(message):
        raise RuntimeError("the tracker store is down")

    for text, metadata, language in [("数字化转型是什么", None, "zh"), ("hello", {"language": "zh-CN"}, "en"),
                                     ("/greet", {"language": "zh-CN"}, "zh"), ("/greet", None, "en")]:
        output = CollectingOutputChannel()
        await never_crash(broken)(UserMessage(text, output, "user-1", metadata=metadata))
        assert [m["text"] for m in output.messages] == [texts.text("sorry", language)]
