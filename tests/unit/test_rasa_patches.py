"""bot/rasa_patches.py: what it changes in the libraries, and that the change is still needed."""
import os
import subprocess
import sys

import pytest

from bot.paths import REPO_ROOT
from bot.rasa_patches import KNOWN_NOISE, restore_warning_filters

QUIET = "ignore::DeprecationWarning,ignore::PendingDeprecationWarning"
WARN = "import warnings; warnings.warn('old api', DeprecationWarning); warnings.warn('older', PendingDeprecationWarning)"


def python(code: str) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONWARNINGS": QUIET}
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=REPO_ROOT, env=env,
                          timeout=120)


def test_sanic_still_turns_deprecation_warnings_back_on_at_import():
    # If this fails, Sanic no longer overrides PYTHONWARNINGS and the patch can go.
    shown = python(f"import sanic; {WARN}")
    assert "DeprecationWarning: old api" in shown.stderr


def test_after_the_patch_pythonwarnings_holds_again():
    quiet = python(f"from bot.rasa_patches import restore_warning_filters; restore_warning_filters(); {WARN}")
    assert quiet.returncode == 0 and quiet.stderr == ""


@pytest.mark.parametrize("options, silenced", [
    ([QUIET.split(",")[0]], [DeprecationWarning]),
    (QUIET.split(","), [DeprecationWarning, PendingDeprecationWarning]),
    (["default::DeprecationWarning"], []),  # a developer who asks to see them still sees them
    (["ignore::UserWarning", "ignore"], []),
])
def test_only_the_deprecation_ignores_that_were_asked_for_are_restored(options, silenced):
    import warnings

    with warnings.catch_warnings():
        assert restore_warning_filters(options) == silenced


def test_rasas_cli_runs_through_the_patch_without_library_warnings():
    env = {**os.environ, "PYTHONWARNINGS": QUIET, "TF_CPP_MIN_LOG_LEVEL": "2", "SQLALCHEMY_SILENCE_UBER_WARNING": "1"}
    done = subprocess.run([sys.executable, "-m", "bot", "rasa", "data", "validate", "--help"], capture_output=True,
                          text=True, cwd=REPO_ROOT, env=env, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    assert "usage: rasa data validate" in done.stdout
    assert "Warning:" not in done.stderr


def test_known_noise_patterns_match_the_messages_rasa_prints():
    import re

    messages = ["The following duplicated intents have been found across multiple domain files: faq",
                "You have set 'TF_DETERMINISTIC_OPS' to 1. If you are using one or more GPU(s) ..."]
    for message in messages:
        assert any(re.match(pattern, message) for _, pattern in KNOWN_NOISE)
    assert not any(re.match(pattern, "The following duplicated intents have been found across multiple domain "
                                     "files: greet") for _, pattern in KNOWN_NOISE)


# --- speed patches (issues 13 and 14) ---

def test_rasa_still_trains_one_step_to_load_a_model_for_prediction():
    # If this fails, Rasa no longer fits before loading weights and load_models_without_training_step can go.
    import inspect

    from rasa.utils.tensorflow.models import RasaModel

    source = inspect.getsource(RasaModel.load)
    assert "model.fit(" in source and "model.load_weights(" in source


def test_fine_tuning_still_loads_models_rasas_way(monkeypatch):
    from rasa.utils.tensorflow import models

    from bot.rasa_patches import load_models_without_training_step

    calls = []
    monkeypatch.setattr(models.RasaModel, "load", classmethod(lambda cls, *args, **kwargs: calls.append(args)))
    load_models_without_training_step(models)
    models.RasaModel.load("weights", "model data", "predict data", True)  # finetune_mode
    models.RasaModel.load("weights", "model data", None, False)  # nothing to trace prediction with
    assert calls == [("weights", "model data", "predict data", True), ("weights", "model data", None, False)]


ACTION_REPLY = {"events": [{"event": "slot", "name": "industry", "value": "retail"}],
                "responses": [{"text": "What kind of business is it?", "buttons": []}]}


@pytest.fixture
def patched_remote_action(monkeypatch):
    from rasa.core.actions import action

    monkeypatch.setattr(action.RemoteAction, "_validate_action_result", action.RemoteAction._validate_action_result)
    from bot.rasa_patches import validate_action_results_with_one_validator

    validate_action_results_with_one_validator(action)
    return action.RemoteAction("action_ask_industry", None)


def test_rasa_still_validates_each_reply_with_jsonschema_validate():
    # If this fails, Rasa validates differently and validate_action_results_with_one_validator can go.
    import inspect

    from rasa.core.actions.action import RemoteAction

    assert "validate(result, self.action_response_format_spec())" in inspect.getsource(
        RemoteAction._validate_action_result)


def test_a_valid_reply_passes_without_checking_the_schema_again(patched_remote_action, monkeypatch):
    import jsonschema

    def check_schema_again(*args, **kwargs):
        raise AssertionError("the schema was checked again")

    monkeypatch.setattr(jsonschema, "validate", check_schema_again)
    monkeypatch.setattr(jsonschema.Draft202012Validator, "check_schema", check_schema_again)
    monkeypatch.setattr(jsonschema.Draft7Validator, "check_schema", check_schema_again)
    assert patched_remote_action._validate_action_result(ACTION_REPLY) is True
    assert patched_remote_action._validate_action_result({}) is True


@pytest.mark.parametrize("bad_reply", [
    {"events": "not a list"},
    {"events": [{"event": "user", "text": 42}]},
    ["not", "an", "object"],
    {"events": [{"no_event_key": 1}]},
])
def test_an_invalid_reply_fails_with_rasas_own_error(patched_remote_action, bad_reply):
    from jsonschema import ValidationError

    with pytest.raises(ValidationError, match="Failed to validate Action server response"):
        patched_remote_action._validate_action_result(bad_reply)


@pytest.fixture
def finetune_storage(tmp_path, monkeypatch):
    """A model storage holding the old model's 'train_TEDPolicy2' (as fine-tuning has it) and a cached one."""
    from rasa.engine.storage import resource
    from rasa.engine.storage.local_model_storage import LocalModelStorage

    import inspect

    monkeypatch.setattr(resource.Resource, "from_cache", inspect.getattr_static(resource.Resource, "from_cache"))
    from bot.rasa_patches import finetune_from_cache

    finetune_from_cache(resource)
    storage = LocalModelStorage(tmp_path / "storage")
    (tmp_path / "storage" / "train_TEDPolicy2").mkdir(parents=True)
    (tmp_path / "storage" / "train_TEDPolicy2" / "weights").write_text("old model")
    cached = tmp_path / "cache" / "entry"
    cached.mkdir(parents=True)
    (cached / "weights").write_text("fine-tuned in an earlier try")
    return resource.Resource, storage, cached, tmp_path / "storage" / "train_TEDPolicy2"


def test_without_the_flag_fine_tuning_refuses_the_cached_part_as_rasa_does(finetune_storage, monkeypatch):
    Resource, storage, cached, old_part = finetune_storage
    monkeypatch.delenv("DX_FINETUNE_FROM_CACHE", raising=False)
    with pytest.raises(ValueError, match="is not empty"):
        Resource.from_cache("train_TEDPolicy2", cached, storage, "fingerprint")
    assert (old_part / "weights").read_text() == "old model"


def test_with_the_flag_the_cached_part_replaces_the_old_models(finetune_storage, monkeypatch):
    Resource, storage, cached, old_part = finetune_storage
    monkeypatch.setenv("DX_FINETUNE_FROM_CACHE", "1")
    restored = Resource.from_cache("train_TEDPolicy2", cached, storage, "fingerprint")
    assert restored.name == "train_TEDPolicy2" and restored.output_fingerprint == "fingerprint"
    assert [p.name for p in old_part.iterdir()] == ["weights"]
    assert (old_part / "weights").read_text() == "fine-tuned in an earlier try"


def test_speed_patches_wait_for_their_module_and_the_action_server_needs_no_tensorflow():
    code = ("import sys; from bot.rasa_patches import apply_import_patches; apply_import_patches(); "
            "import rasa_sdk.endpoint; assert 'tensorflow' not in sys.modules, 'TensorFlow imported'; "
            "from rasa.core.actions.action import RemoteAction; "
            "from rasa.engine.storage.resource import Resource; "
            "from rasa.utils.tensorflow.models import RasaModel; "
            "assert RemoteAction._validate_action_result._dx_patched; "
            "assert Resource.from_cache.__func__._dx_patched; assert RasaModel.load.__func__._dx_patched")
    done = python(code)
    assert done.returncode == 0, done.stderr[-2000:]


def test_rasa_still_walks_every_event_class_to_resolve_an_event_name():
    # If this fails, Rasa looks event classes up differently and resolve_events_by_type_once can go.
    import inspect

    from rasa.shared.core.events import Event

    assert "all_subclasses(Event)" in inspect.getsource(Event.resolve_by_type)


@pytest.fixture
def patched_events(monkeypatch):
    from rasa.shared.core import events

    rasa_resolve = events.Event.resolve_by_type
    monkeypatch.setattr(events.Event, "resolve_by_type", staticmethod(rasa_resolve))
    from bot.rasa_patches import resolve_events_by_type_once

    resolve_events_by_type_once(events)
    return events, rasa_resolve


def test_every_event_name_resolves_to_the_class_rasa_finds_and_is_looked_up_once(patched_events, monkeypatch):
    import rasa.shared.utils.common as common

    events, rasa_resolve = patched_events
    names = sorted({cls.type_name for cls in common.all_subclasses(events.Event) if hasattr(cls, "type_name")})
    assert {"user", "bot", "action", "slot", "session_started", "restart", "active_loop"} <= set(names)
    expected = {name: rasa_resolve(name) for name in names}
    for name in names:
        assert events.Event.resolve_by_type(name) is expected[name]
    walks = []  # from now on Rasa's own lookup would find nothing
    monkeypatch.setattr(common, "all_subclasses", lambda cls: walks.append(cls) or [])
    for name in names:
        assert events.Event.resolve_by_type(name) is expected[name]
    assert walks == []  # every name was answered from what was found before


def test_unknown_event_names_behave_as_in_rasa(patched_events):
    events, _ = patched_events
    with pytest.raises(ValueError, match="Unknown event name 'no_such_event'"):
        events.Event.resolve_by_type("no_such_event")
    assert events.Event.resolve_by_type("no_such_event", default=events.SlotSet) is events.SlotSet
    assert events.Event.resolve_by_type("topic") is None


def test_events_read_back_from_dicts_are_the_same_with_the_patch(patched_events):
    events, _ = patched_events
    stored = [{"event": "action", "name": "action_listen", "timestamp": 1.0},
              {"event": "user", "text": "hi", "parse_data": {"intent": {"name": "greet", "confidence": 0.9}},
               "timestamp": 2.0},
              {"event": "slot", "name": "industry", "value": "retail", "timestamp": 3.0}]
    read = events.deserialise_events(stored)
    assert [type(e).__name__ for e in read] == ["ActionExecuted", "UserUttered", "SlotSet"]
    assert [e.as_dict()["event"] for e in read] == ["action", "user", "slot"]


@pytest.mark.parametrize("args, environ, expected", [
    (["run", "--model", "models", "--endpoints", "{redis}"], {"SANIC_WORKERS": "2"},
     {"TF_INTRA_OP_PARALLELISM_THREADS": str(max(1, len(os.sched_getaffinity(0)) // 2)),
      "TF_INTER_OP_PARALLELISM_THREADS": "1"}),
    (["run", "--endpoints", "{memory}"], {"SANIC_WORKERS": "2"}, {}),  # Rasa runs one worker then
    (["run", "--endpoints", "{missing}"], {"SANIC_WORKERS": "2"}, {}),
    (["run", "--endpoints", "{redis}"], {}, {}),  # one worker: TensorFlow's own defaults
    (["run", "--endpoints", "{redis}"], {"SANIC_WORKERS": "1"}, {}),
    (["run", "actions", "--actions", "actions"], {"SANIC_WORKERS": "2"}, {}),  # no TensorFlow there
    (["train", "--endpoints", "{redis}"], {"SANIC_WORKERS": "2"}, {}),
    (["run", "--endpoints", "{redis}"], {"SANIC_WORKERS": "2", "TF_INTRA_OP_PARALLELISM_THREADS": "2"}, {}),
    (["run", "--endpoints", "{redis}"], {"SANIC_WORKERS": "two"}, {}),
])
def test_several_workers_get_tensorflow_threads_that_share_the_cores(args, environ, expected, tmp_path):
    from bot.rasa_patches import threads_for_workers

    (tmp_path / "redis.yml").write_text("lock_store:\n  type: redis\n  url: 127.0.0.1\n")
    (tmp_path / "memory.yml").write_text("action_endpoint:\n  url: http://localhost:5055/webhook\n")
    files = {name: str(tmp_path / f"{name}.yml") for name in ("redis", "memory", "missing")}
    assert threads_for_workers([arg.format(**files) for arg in args], environ) == expected


def test_rasa_still_applies_the_thread_variables_at_start():
    # If this fails, Rasa no longer reads TF_*_PARALLELISM_THREADS and threads_for_workers does nothing.
    import inspect

    import rasa.utils.tensorflow.environment as tf_env
    from rasa.constants import ENV_CPU_INTER_OP_CONFIG, ENV_CPU_INTRA_OP_CONFIG

    assert (ENV_CPU_INTRA_OP_CONFIG, ENV_CPU_INTER_OP_CONFIG) == ("TF_INTRA_OP_PARALLELISM_THREADS",
                                                                  "TF_INTER_OP_PARALLELISM_THREADS")
    source = inspect.getsource(tf_env._setup_cpu_environment)
    assert "set_intra_op_parallelism_threads" in source and "set_inter_op_parallelism_threads" in source


def test_when_the_cached_part_cannot_be_copied_the_old_models_part_stays(finetune_storage, monkeypatch):
    import rasa.utils.common

    Resource, storage, cached, old_part = finetune_storage
    monkeypatch.setenv("DX_FINETUNE_FROM_CACHE", "1")
    rasa_copy = rasa.utils.common.copy_directory
    calls = []

    def copy_failing_on_retry(source, destination):
        calls.append(destination)
        if len(calls) > 1:
            raise OSError("disk full")
        return rasa_copy(source, destination)

    monkeypatch.setattr(rasa.utils.common, "copy_directory", copy_failing_on_retry)
    with pytest.raises(OSError, match="disk full"):
        Resource.from_cache("train_TEDPolicy2", cached, storage, "fingerprint")
    assert len(calls) == 2
    assert (old_part / "weights").read_text() == "old model"
    assert sorted(p.name for p in old_part.parent.iterdir()) == ["train_TEDPolicy2"]


def test_what_our_extractors_find_stays_out_of_exported_training_data():
    """`rasa interactive` exports messages through remove_untrainable_entities_from: our language and
    vocabulary entities must not come back as annotations, a trainer's own annotation must."""
    code = ("from bot.rasa_patches import apply_import_patches; apply_import_patches(); "
            "from rasa.shared.nlu.training_data.util import remove_untrainable_entities_from; "
            "import rasa.nlu.constants as nlu_constants; "
            "example = {'text': 'we use excel', 'entities': ["
            "{'entity': 'language', 'value': 'en', 'extractor': 'LanguageTagger'}, "
            "{'entity': 'tool', 'value': 'spreadsheet', 'extractor': 'CanonicalEntityExtractor'}, "
            "{'entity': 'tool', 'value': 'spreadsheet', 'extractor': 'DIETClassifier'}]}; "
            "remove_untrainable_entities_from(example); "
            "assert [e['extractor'] for e in example['entities']] == ['DIETClassifier'], example; "
            "assert {'LanguageTagger', 'CanonicalEntityExtractor'} <= nlu_constants.PRETRAINED_EXTRACTORS")
    done = python(code)
    assert done.returncode == 0, done.stderr[-2000:]


def test_without_the_patch_rasa_would_export_them():
    """Still needed: Rasa's own list does not name our extractors."""
    code = ("from rasa.shared.nlu.training_data.util import remove_untrainable_entities_from; "
            "example = {'text': 'hi', 'entities': [{'entity': 'language', 'value': 'en', 'extractor': 'LanguageTagger'}]}; "
            "remove_untrainable_entities_from(example); assert len(example['entities']) == 1")
    done = python(code)
    assert done.returncode == 0, done.stderr[-2000:]


# --- faults (issue 17) ---

FAULT_DOMAIN = """
version: "3.1"
slots:
  language:
    type: text
    mappings:
    - type: custom
  industry:
    type: text
    mappings:
    - type: custom
forms:
  profile_form:
    required_slots:
    - industry
actions:
- action_make_plan
- validate_profile_form
- action_ask_industry
"""


@pytest.fixture
def fault_domain():
    import warnings

    from rasa.shared.core.domain import Domain

    with warnings.catch_warnings():  # "Slot auto-fill has been removed in 3.0", for any domain with slots
        warnings.simplefilter("ignore", UserWarning)
        return Domain.from_yaml(FAULT_DOMAIN)


@pytest.fixture
def answering_remote_action(monkeypatch):
    """rasa.core.actions.action with answer_when_actions_fail applied (undone after the test)."""
    from rasa.core.actions import action

    monkeypatch.setattr(action.RemoteAction, "run", inspect_static(action.RemoteAction, "run"))
    from bot.rasa_patches import answer_when_actions_fail

    answer_when_actions_fail(action)
    return action


def inspect_static(owner, name):
    import inspect

    return inspect.getattr_static(owner, name)


def conversation(domain, language=None, text="make me a plan", extra=()):
    from rasa.shared.core.events import ActionExecuted, SlotSet, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker

    events = [ActionExecuted("action_listen"), *([SlotSet("language", language)] if language else []),
              UserUttered(text, {"name": "request_advice", "confidence": 1.0}), *extra]
    return DialogueStateTracker.from_events("user-1", events, slots=domain.slots)


def closed_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
async def action_server():
    """start(handler) -> the URL of a tiny aiohttp action server on 127.0.0.1 answering with `handler`."""
    from aiohttp import web
    from aiohttp.test_utils import TestServer

    servers = []

    async def start(handler) -> str:
        app = web.Application()
        app.router.add_post("/webhook", handler)
        server = TestServer(app, host="127.0.0.1")
        await server.start_server()
        servers.append(server)
        return f"http://127.0.0.1:{server.port}/webhook"

    yield start
    for server in servers:
        await server.close()


async def answers_500(request):
    from aiohttp import web

    return web.Response(status=500, text="Internal Server Error")


async def sleeps(request):
    from aiohttp import web

    await asyncio.sleep(10)
    return web.json_response({"events": [], "responses": []})


async def rejects(request):
    from aiohttp import web

    return web.json_response({"action_name": "action_make_plan", "error": "nothing to make a plan from"}, status=400)


import asyncio  # noqa: E402 - the fault tests' servers


async def run_action(action_module, url, domain, tracker, name="action_make_plan"):
    from rasa.core.channels.channel import CollectingOutputChannel
    from rasa.core.nlg import TemplatedNaturalLanguageGenerator
    from rasa.utils.endpoints import EndpointConfig

    remote = action_module.RemoteAction(name, EndpointConfig(url))
    return await remote.run(CollectingOutputChannel(), TemplatedNaturalLanguageGenerator(domain.responses), tracker,
                            domain)


@pytest.mark.parametrize("language", ["en", "zh"])
@pytest.mark.parametrize("fault, what", [("closed port", "could not be reached"), ("500", "answered HTTP 500"),
                                         ("slow", "did not answer within 1 s")])
async def test_a_failing_action_server_gets_one_apology_in_the_conversations_language(
        answering_remote_action, action_server, fault_domain, monkeypatch, caplog, fault, what, language):
    import time

    from rasa.shared.core.events import BotUttered

    from bot.channels.texts import text

    monkeypatch.setenv("ACTION_TIMEOUT_SECONDS", "1")
    port = closed_port() if fault == "closed port" else None
    base = (f"http://127.0.0.1:{port}/webhook" if port else
            await action_server(answers_500 if fault == "500" else sleeps))
    secret_url = base.replace("http://", "http://dx:hunter2@") + "?token=s3cret"
    started = time.monotonic()
    with caplog.at_level("DEBUG"):
        events = await run_action(answering_remote_action, secret_url, fault_domain, conversation(fault_domain, language))
    assert time.monotonic() - started < 2.5
    assert events == [BotUttered(text("actions_unavailable", language))]
    [line] = [r for r in caplog.records if r.levelname == "ERROR"]  # Rasa's own line is dropped
    assert line.name == "bot.rasa_patches"
    assert line.getMessage().startswith(f"Custom action 'action_make_plan' failed: the action server at {base} {what}")
    ours = "\n".join(r.getMessage() for r in caplog.records if r.name.startswith(("rasa", "bot")))
    assert "hunter2" not in ours and "s3cret" not in ours  # (the test server's access log has them)


async def test_the_timeout_is_20_seconds_unless_set(monkeypatch, caplog):
    from bot.rasa_patches import action_timeout_seconds

    assert action_timeout_seconds({}) == 20
    assert action_timeout_seconds({"ACTION_TIMEOUT_SECONDS": "2.5"}) == 2.5
    for wrong in ("soon", "0", "-3", "nan", "inf"):
        assert action_timeout_seconds({"ACTION_TIMEOUT_SECONDS": wrong}) == 20
    assert "ACTION_TIMEOUT_SECONDS='soon' is not a number of seconds" in caplog.text


async def test_a_400_is_still_rasas_rejection(answering_remote_action, action_server, fault_domain):
    url = await action_server(rejects)
    with pytest.raises(answering_remote_action.ActionExecutionRejection, match="nothing to make a plan from"):
        await run_action(answering_remote_action, url, fault_domain, conversation(fault_domain))


async def test_a_reply_that_breaks_the_schema_still_raises(answering_remote_action, action_server, fault_domain):
    from aiohttp import web
    from jsonschema import ValidationError

    async def broken(request):
        return web.json_response({"events": "not a list"})

    with pytest.raises(ValidationError):
        await run_action(answering_remote_action, await action_server(broken), fault_domain,
                         conversation(fault_domain))


async def test_a_working_action_server_is_answered_as_before(answering_remote_action, action_server, fault_domain):
    from aiohttp import web
    from rasa.shared.core.events import SlotSet

    async def works(request):
        return web.json_response({"events": [{"event": "slot", "name": "industry", "value": "retail"}],
                                  "responses": []})

    events = await run_action(answering_remote_action, await action_server(works), fault_domain,
                              conversation(fault_domain))
    assert events == [SlotSet("industry", "retail")]


async def test_no_action_endpoint_still_raises_rasas_error(answering_remote_action, fault_domain):
    from rasa.core.channels.channel import CollectingOutputChannel
    from rasa.shared.exceptions import RasaException

    remote = answering_remote_action.RemoteAction("action_make_plan", None)
    with pytest.raises(RasaException, match="no endpoint is configured"):
        await remote.run(CollectingOutputChannel(), None, conversation(fault_domain), fault_domain)


async def test_the_apology_is_said_once_per_message(answering_remote_action, fault_domain, caplog):
    from rasa.shared.core.events import ActionExecuted, BotUttered, UserUttered

    from bot.channels.texts import text

    url = f"http://127.0.0.1:{closed_port()}/webhook"
    apology = BotUttered(text("actions_unavailable", "zh"))
    said = conversation(fault_domain, "zh", extra=[ActionExecuted("action_check_input"), apology])
    assert await run_action(answering_remote_action, url, fault_domain, said) == []
    assert "skipped: the action server failed earlier in this turn" in caplog.text  # not called again
    next_message = conversation(fault_domain, "zh", extra=[ActionExecuted("action_check_input"), apology,
                                                           ActionExecuted("action_listen"), UserUttered("再试一次")])
    assert await run_action(answering_remote_action, url, fault_domain, next_message) == [apology]


async def test_a_session_that_cannot_start_with_ours_starts_as_rasas_own_would(answering_remote_action,
                                                                                fault_domain, caplog):
    """Without the session's `action_listen` the first message matches no rule; answers needing no action
    server still work, and an action that needs it apologises then."""
    from rasa.shared.core.events import ActionExecuted, SessionStarted, SlotSet

    url = f"http://127.0.0.1:{closed_port()}/webhook"
    events = await run_action(answering_remote_action, url, fault_domain, conversation(fault_domain, "zh"),
                              name="action_session_start")
    assert events == [SessionStarted(), SlotSet("language", "zh"), ActionExecuted("action_listen")]
    assert "the session starts as Rasa's own action_session_start starts it" in caplog.text


async def test_a_form_whose_validation_fails_apologises_once_and_stays_at_its_question(
        answering_remote_action, fault_domain):
    """Without the kept slot the form would reject itself (nothing validated) and Rasa would predict another
    action; the ask action failing too adds no second apology."""
    from rasa.core.actions.forms import FormAction
    from rasa.core.channels.channel import CollectingOutputChannel
    from rasa.core.nlg import TemplatedNaturalLanguageGenerator
    from rasa.shared.core.events import ActionExecuted, ActiveLoop, BotUttered, SlotSet, UserUttered
    from rasa.shared.core.trackers import DialogueStateTracker
    from rasa.utils.endpoints import EndpointConfig

    from bot.channels.texts import text

    tracker = DialogueStateTracker.from_events("user-1", [
        ActionExecuted("action_listen"), UserUttered("I need a plan"), ActionExecuted("profile_form"),
        ActiveLoop("profile_form"), SlotSet("requested_slot", "industry"), ActionExecuted("action_listen"),
        UserUttered("we sell shoes")], slots=fault_domain.slots)
    form = FormAction("profile_form", EndpointConfig(f"http://127.0.0.1:{closed_port()}/webhook"))
    events = await form.run(CollectingOutputChannel(), TemplatedNaturalLanguageGenerator(fault_domain.responses),
                            tracker, fault_domain)
    assert [e for e in events if isinstance(e, BotUttered)] == [BotUttered(text("actions_unavailable", "en"))]
    assert SlotSet("industry", None) in events and SlotSet("requested_slot", "industry") in events
    assert not any(isinstance(e, ActiveLoop) for e in events)  # still active, still asking for the industry


def test_secrets_are_left_out_of_logged_urls():
    from bot.rasa_patches import public_url

    assert public_url("https://dx:hunter2@actions.internal:5055/webhook?token=s3cret#x") == \
        "https://actions.internal:5055/webhook"
    assert public_url("http://[::1]:5055/webhook") == "http://[::1]:5055/webhook"
    assert public_url("http://localhost:port/webhook") == "http://localhost/webhook"
    assert public_url(None) == ""


def test_rasa_still_waits_5_minutes_and_raises_when_the_action_server_fails():
    # If this fails, Rasa calls its action server differently and answer_when_actions_fail needs another look.
    import inspect

    import rasa.core.actions.action as action
    from rasa.core.constants import DEFAULT_REQUEST_TIMEOUT

    source = inspect.getsource(action)
    run = source[source.index("class RemoteAction"):source.index("class ActionExecutionRejection")]
    assert DEFAULT_REQUEST_TIMEOUT == 300 and "timeout=DEFAULT_REQUEST_TIMEOUT" in run
    for caught in ("except ClientResponseError as e:", "except aiohttp.ClientConnectionError as e:",
                   "except aiohttp.ClientError as e:"):  # each raises a RasaException in its place
        assert caught in run
    assert "if e.status == 400:" in run  # the rejection, kept
    assert "Couldn't connect " in run  # the line of Rasa's that the patch's filter drops


def test_rasa_still_sends_the_bot_messages_an_action_returns():
    # The apology is a BotUttered: Rasa's processor sends it to the channel like any reply.
    import inspect

    from rasa.core.processor import MessageProcessor

    assert "await self.execute_side_effects(events, tracker, output_channel)" in inspect.getsource(
        MessageProcessor._run_action)
    assert "send_response(tracker.sender_id, e.message())" in inspect.getsource(MessageProcessor._send_bot_messages)


@pytest.fixture
def unreachable_tracker_store(monkeypatch, fault_domain):
    """(Rasa's FailSafeTrackerStore.retrieve, the Agent's store) on a PostgreSQL that is not running."""
    from rasa.core import tracker_store
    from rasa.core.agent import Agent

    rasa_retrieve = inspect_static(tracker_store.FailSafeTrackerStore, "retrieve")
    for name in ("retrieve", "retrieve_full_tracker"):
        monkeypatch.setattr(tracker_store.FailSafeTrackerStore, name,
                            inspect_static(tracker_store.FailSafeTrackerStore, name))
    store = tracker_store.SQLTrackerStore(fault_domain, dialect="postgresql", host="127.0.0.1", port=closed_port(),
                                          db="rasa", username="rasa", password="hunter2")
    return rasa_retrieve, Agent(fault_domain, tracker_store=store).tracker_store


async def test_without_the_patch_rasa_starts_a_fresh_conversation_when_the_database_is_down(
        unreachable_tracker_store, monkeypatch):
    # If this fails, Rasa no longer hides a failed read and raise_when_a_tracker_cannot_be_read can go.
    from rasa.core.tracker_store import FailSafeTrackerStore

    rasa_retrieve, store = unreachable_tracker_store
    monkeypatch.setattr(FailSafeTrackerStore, "retrieve", rasa_retrieve)
    tracker = await store.get_or_create_tracker("user-1")
    assert [e.type_name for e in tracker.events] == ["action"]  # a new conversation, listening


async def test_a_tracker_that_cannot_be_read_raises_to_the_channel(unreachable_tracker_store):
    import sqlalchemy.exc

    from rasa.core import tracker_store

    from bot.rasa_patches import raise_when_a_tracker_cannot_be_read

    raise_when_a_tracker_cannot_be_read(tracker_store)
    _, store = unreachable_tracker_store
    assert isinstance(store, tracker_store.FailSafeTrackerStore)
    with pytest.raises(sqlalchemy.exc.OperationalError):
        await store.get_or_create_tracker("user-1")
    with pytest.raises(sqlalchemy.exc.OperationalError):
        await store.retrieve_full_tracker("user-1")


def test_the_fault_patches_wait_for_their_module():
    code = ("from bot.rasa_patches import apply_import_patches; apply_import_patches(); "
            "from rasa.core.actions.action import RemoteAction; "
            "from rasa.core.tracker_store import FailSafeTrackerStore; "
            "assert RemoteAction.run._dx_patched and RemoteAction._validate_action_result._dx_patched; "
            "assert FailSafeTrackerStore.retrieve._dx_patched and FailSafeTrackerStore.retrieve_full_tracker._dx_patched")
    done = python(code)
    assert done.returncode == 0, done.stderr[-2000:]


def test_rasas_postgresql_tracker_store_checks_connections_before_use():
    import rasa.core.tracker_store as tracker_store

    from bot.rasa_patches import check_connections_before_use

    check_connections_before_use(tracker_store)
    assert tracker_store.create_engine_kwargs("postgresql://dx:pw@127.0.0.1:5432/dx")["pool_pre_ping"] is True
    assert tracker_store.create_engine_kwargs("sqlite:///dx.db") == {}  # SQLite: Rasa's, unchanged
    check_connections_before_use(tracker_store)  # applied twice: still one wrapper
    assert tracker_store.create_engine_kwargs("postgresql://dx:pw@127.0.0.1:5432/dx")["pool_size"] > 0
