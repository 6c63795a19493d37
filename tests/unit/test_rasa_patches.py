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
