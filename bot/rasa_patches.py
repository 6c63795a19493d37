"""The one place where dx-advisor changes how a library behaves, each change with why it is needed.

Run Rasa through `python -m bot rasa ...` (the Makefile and scripts do) to get them:

* **Library DeprecationWarnings stay silent.** The Makefile sets
  `PYTHONWARNINGS=ignore::DeprecationWarning,...`, but Sanic 21.12 calls
  `warnings.filterwarnings("once", category=DeprecationWarning)` when `sanic.app` is imported
  (sanic/app.py, module level). That filter goes in front of PYTHONWARNINGS, so every library
  imported after Sanic (TensorFlow, jax, matplotlib, click, pkg_resources, pyparsing ...) printed
  its deprecations: 47 of the 118 lines of `make run`. `restore_warning_filters` puts the
  PYTHONWARNINGS ignores back in front once Sanic is imported. Later, Rasa's
  `configure_logging_and_warnings` puts `filterwarnings("once", category=UserWarning)` in front,
  which catches pyparsing's deprecations (a UserWarning and a DeprecationWarning at once); the same
  ignores go into Rasa's EXPECTED_WARNINGS, which Rasa applies after that filter.
* **Rasa's own noise about our data is dropped**, using Rasa's mechanism for it
  (`rasa.utils.common.EXPECTED_WARNINGS`, which `configure_logging_and_warnings` ignores above
  debug level): the retrieval intent `faq` makes Rasa report "duplicated intents ... faq" on every
  load; TF_DETERMINISTIC_OPS, which we set on purpose for repeatable training, makes it warn
  about GPUs on a CPU machine; and it calls the responses of its own two-stage fallback unused. `LOG_LEVEL=DEBUG` shows them again.

Upstream: Sanic 22 removed the module-level filter; Rasa 3.6 pins sanic 21.12.

* **What our own extractors find is not written into training data.** `rasa interactive` exports each
  message with its entities, except those of the extractors in `PRETRAINED_EXTRACTORS` (Duckling,
  spaCy's). Ours (`CanonicalEntityExtractor`, and `LanguageTagger`, whose `language` entity spans
  every message) learn nothing from annotations, yet every exported example came back as
  `[what is internet plus]{"entity": "language", "value": "en"}`. They join that set, in both of
  Rasa's copies of it (the second also keeps `rasa test nlu` from scoring them as if trainable).

Speed (issues 13 and 14; figures in docs/PERFORMANCE.md, measured with `make bench` and py-spy):

* **A model loads for prediction without a training step.** `RasaModel.load` (DIET, the
  ResponseSelector and TED) runs `model.fit` on one example only to create the weights, then loads
  them, then traces prediction. Tracing that training step is two thirds of a server's start-up and
  of `PUT /model` (about 20 of 31 s here). For prediction the weights are restored as the prediction
  graph creates them (TensorFlow's restore-on-create); fine-tuning, which needs the training step,
  keeps Rasa's way. A model test checks that both ways give the same weights and the same answers.
* **Action-server replies are validated with a validator built once.** `RemoteAction` calls
  `jsonschema.validate`, which checks the schema itself on every call: about 19 ms per reply against
  under 1 ms, and about half the CPU time of a message under load. The schema and the error message
  stay Rasa's.
* **An event's class is looked up once per event name.** Every event read back from the tracker store
  (every message reads the whole conversation session) goes through `Event.resolve_by_type`, which
  walks all Event subclasses each time: about 4% of the server's CPU under load. Rasa defines its
  event classes at import, so the first class found for a name is kept; names it does not know
  still go to Rasa's lookup every time.
* **Several workers share the cores.** With `SANIC_WORKERS` above 1, each worker's TensorFlow would
  use thread pools sized for the whole machine, and the workers fight over the cores: two workers
  on 2 cores gave 17 msg/s, no more than one. Unless TF_INTRA_OP_PARALLELISM_THREADS or
  TF_INTER_OP_PARALLELISM_THREADS is set, `rasa run` then gets one inter-op thread and
  cores / workers intra-op threads (Rasa applies both variables at start); with them, 39.6 msg/s
  against the stock bot's 32.0 in the same run.
  Only the Rasa server: in `rasa run actions` the variables would make Rasa import TensorFlow
  (500 MB) for nothing.
* **Fine-tuning takes what the cache has** (`make try`, issue 13), when `DX_FINETUNE_FROM_CACHE=1`.
  Fine-tuning unpacks the old model first, so restoring a cached part fails ("Destination path ...
  is not empty") and Rasa fine-tunes it again: TED was fine-tuned on every try (12 of 54 s) although
  only an NLU example had changed. With the flag, the cached part replaces the old model's. Rasa
  refuses this because the cache does not know which model a cached part was fine-tuned from; so
  `scripts/try.sh` sets the flag only with a cache of its own for each full model
  (RASA_CACHE_DIRECTORY=build/try/cache-<model>), where every cached part came from that model.

Faults (issue 17: replicas on PostgreSQL and Redis, any of which may go away):

* **A custom action that fails answers instead of leaving silence.** When the action server cannot
  be reached, answers with an error status or does not answer, `RemoteAction.run` raises; the
  processor logs a stack trace and drops the action's events, and the user gets nothing, after up
  to 5 minutes (DEFAULT_REQUEST_TIMEOUT) when the server hangs. Now the call gives up after
  ACTION_TIMEOUT_SECONDS (default 20), and the action returns one `BotUttered`,
  `actions_unavailable` of data/channels.yml in the conversation's language, which Rasa sends like
  any reply; the prediction goes on (usually to listening), the slots stay as they were. Once per
  message: a second failing action in the same turn (a form asking its next question) adds no
  second apology. When the failing action is the active form's validation, the form would reject
  itself (it validated nothing) and Rasa would predict something else, such as the fallback: the
  requested slot is set to its own value, so the form stays at its question. A failed
  `action_session_start` gives Rasa's own session start instead (slots carried over, then
  listening), without an apology: otherwise the first message of a session follows no
  `action_listen`, the rules do not match it (a "hi" got the fallback), and even the answers that
  need no action server were lost. A 400 stays Rasa's ActionExecutionRejection, which forms rely
  on; a reply that breaks the schema still raises. One ERROR line names the action, the URL without
  user, password or query, and what failed; Rasa's own line for an unreachable server, which prints
  the URL as configured, is dropped.
* **A conversation that cannot be read is not started afresh.** The Agent wraps every tracker store
  in `FailSafeTrackerStore`, whose `retrieve` returns None on any error (after an ERROR line), and
  `get_or_create_tracker` then starts a new conversation: a database down for a moment made the
  assistant forget the form, the language and the plan of whoever wrote then, and saved that turn
  to an in-memory store that nothing reads back; when only the read failed (a stale connection after
  a database restart), the save stored the new conversation's events beyond the number stored
  before: the turn lost, or a mix of both conversations. Now the error goes up to the channel, where
  bot/channels/guard.py tells the user to try again (`busy_try_again`). Saving keeps Rasa's way
  (logged, kept in memory): by then the user has had the answers.
* **The tracker store's connections are checked before use** (PostgreSQL). Rasa's SQL tracker store
  builds its engine without `pool_pre_ping`, so after a database restart every pooled connection
  fails once: each server refused one message per stale connection ("server closed the connection
  unexpectedly") although the database was back. `create_engine_kwargs` now adds SQLAlchemy's
  pre-ping (a `SELECT 1` when a connection leaves the pool), as our own app-data Store does.
"""
from __future__ import annotations

import asyncio
import importlib
import inspect
import logging
import os
import re
import shutil
import sys
import warnings
from pathlib import Path
from typing import Mapping, Sequence
from urllib.parse import urlsplit, urlunsplit

from bot.names import RASA_DEFAULT_RESPONSES, MetadataKeys, Slots

logger = logging.getLogger(__name__)

# (category, regular expression matched from the start of the message), as Rasa's EXPECTED_WARNINGS.
KNOWN_NOISE: list[tuple[type[Warning], str]] = [
    (UserWarning, r".*duplicated intents have been found across multiple domain files: faq$"),
    (UserWarning, r"You have set 'TF_DETERMINISTIC_OPS'"),
    # sent by Rasa's own two-stage fallback, which Rasa's check of unused responses does not know
    *[(UserWarning, re.escape(f"The utterance '{name}' is not used in any story or rule."))
      for name in sorted(RASA_DEFAULT_RESPONSES)],
]
_SILENCEABLE = {"DeprecationWarning": DeprecationWarning, "PendingDeprecationWarning": PendingDeprecationWarning}


def restore_warning_filters(options: Sequence[str] | None = None) -> list[type[Warning]]:
    """Import Sanic, then re-apply the `ignore` of each deprecation category that PYTHONWARNINGS
    (or -W, i.e. `sys.warnoptions`) asked for. Returns the categories silenced again."""
    import sanic  # noqa: F401 - importing it adds the filter that is undone here

    silenced = []
    for option in sys.warnoptions if options is None else options:
        action, _, rest = option.partition(":")
        category = rest.split(":")[1].strip() if rest.count(":") >= 1 else ""
        if action.strip() == "ignore" and category in _SILENCEABLE:
            warnings.filterwarnings("ignore", category=_SILENCEABLE[category])
            silenced.append(_SILENCEABLE[category])
    return silenced


def _replace_once(owner: type, name: str, replacement_for) -> None:
    """`owner.name = replacement_for(Rasa's function)`, unless done already; a class or static method
    stays one. The replacement gets Rasa's function to call where it keeps Rasa's behaviour."""
    if getattr(getattr(owner, name), "_dx_patched", False):
        return
    raw = inspect.getattr_static(owner, name)
    kind = type(raw) if isinstance(raw, (classmethod, staticmethod)) else None
    replacement = replacement_for(raw.__func__ if kind else raw)
    replacement._dx_patched = True
    setattr(owner, name, kind(replacement) if kind else replacement)


def load_models_without_training_step(models_module=None) -> None:
    """Patch `RasaModel.load`: for prediction, restore the weights as the prediction graph creates them."""
    import tensorflow as tf

    def replacement_for(rasa_load):
        def load(cls, model_file_name, model_data_example, predict_data_example=None, finetune_mode=False,
                 *args, **kwargs):
            if finetune_mode or predict_data_example is None:  # the training step is needed (or Rasa's way is)
                return rasa_load(cls, model_file_name, model_data_example, predict_data_example, finetune_mode,
                                 *args, **kwargs)
            config = kwargs.get("config", {})
            model = cls(*args, **kwargs)
            model.compile(optimizer=tf.keras.optimizers.Adam(config.get("learning_rate", 0.001)),
                          run_eagerly=config.get("run_eagerly"))
            restored = model.load_weights(model_file_name)  # nothing is built yet: restored on creation
            # Kept with the model for as long as it lives (the layers' deferred restores hold it too).
            model._dx_restore_status = restored
            model.run_inference(predict_data_example)  # builds the prediction graph and its weights
            restored.expect_partial()  # the optimizer's state is not needed to predict
            return model
        return load

    module = models_module or importlib.import_module("rasa.utils.tensorflow.models")
    _replace_once(module.RasaModel, "load", replacement_for)


def validate_action_results_with_one_validator(action_module=None) -> None:
    """Patch `RemoteAction._validate_action_result` to use one validator, built (and checked) once."""
    from jsonschema import ValidationError
    from jsonschema.validators import validator_for

    RemoteAction = (action_module or importlib.import_module("rasa.core.actions.action")).RemoteAction
    schema = RemoteAction.action_response_format_spec()
    validator_class = validator_for(schema)
    validator_class.check_schema(schema)  # what jsonschema.validate did on every call
    validator = validator_class(schema)

    def replacement_for(rasa_validate):
        def _validate_action_result(self, result):
            try:
                validator.validate(result)
                return True
            except ValidationError:
                return rasa_validate(self, result)  # Rasa's own error, message and all
        return _validate_action_result

    _replace_once(RemoteAction, "_validate_action_result", replacement_for)


def resolve_events_by_type_once(events_module=None) -> None:
    """Patch `Event.resolve_by_type`: remember the class found for each event name."""
    found: dict = {}

    def replacement_for(rasa_resolve):
        def resolve_by_type(type_name, default=None):
            event_class = found.get(type_name)
            if event_class is None:
                event_class = rasa_resolve(type_name, default)
                if event_class is not None and event_class is not default:
                    found[type_name] = event_class
            return event_class
        return resolve_by_type

    _replace_once((events_module or importlib.import_module("rasa.shared.core.events")).Event, "resolve_by_type",
                  replacement_for)


def finetune_from_cache(resource_module=None) -> None:
    """Patch `Resource.from_cache`: with DX_FINETUNE_FROM_CACHE=1, a cached part replaces the old model's."""
    Resource = (resource_module or importlib.import_module("rasa.engine.storage.resource")).Resource

    def replacement_for(rasa_from_cache):
        def from_cache(cls, node_name, directory, model_storage, output_fingerprint):
            try:
                return rasa_from_cache(cls, node_name, directory, model_storage, output_fingerprint)
            except ValueError:  # the old model's part is in the way (fine-tuning only)
                if os.environ.get("DX_FINETUNE_FROM_CACHE") != "1":
                    raise
                with model_storage.write_to(Resource(node_name)) as old_part:
                    aside = old_part.with_name(old_part.name + ".old")
                    old_part.rename(aside)
                    old_part.mkdir()
                    try:
                        restored = rasa_from_cache(cls, node_name, directory, model_storage, output_fingerprint)
                    except BaseException:  # the old model's part back, for Rasa to fine-tune as before
                        shutil.rmtree(old_part)
                        aside.rename(old_part)
                        raise
                    shutil.rmtree(aside)
                    return restored
        return from_cache

    _replace_once(Resource, "from_cache", replacement_for)


# The extractors of bot/nlu/components.py that are built from data/, not trained from annotations.
OUR_UNTRAINED_EXTRACTORS = ("CanonicalEntityExtractor", "LanguageTagger")


def treat_our_extractors_as_pretrained(constants_module=None) -> None:
    """Add our extractors to Rasa's PRETRAINED_EXTRACTORS (a set every user of it shares)."""
    constants_module = constants_module or importlib.import_module("rasa.shared.nlu.constants")
    constants_module.PRETRAINED_EXTRACTORS.update(OUR_UNTRAINED_EXTRACTORS)


# --- faults (issue 17) -------------------------------------------------------------------------------

ACTION_TIMEOUT_ENV = "ACTION_TIMEOUT_SECONDS"
DEFAULT_ACTION_TIMEOUT_SECONDS = 20.0
ACTIONS_UNAVAILABLE = "actions_unavailable"  # data/channels.yml


def action_timeout_seconds(environ: Mapping[str, str] = os.environ) -> float:
    """ACTION_TIMEOUT_SECONDS, else 20; a value that is not a positive number is logged and ignored."""
    raw = environ.get(ACTION_TIMEOUT_ENV, "").strip()
    try:
        seconds = float(raw) if raw else DEFAULT_ACTION_TIMEOUT_SECONDS
    except ValueError:
        seconds = 0.0
    if not 0 < seconds < float("inf"):
        logger.warning("%s=%r is not a number of seconds above 0; using %g.", ACTION_TIMEOUT_ENV, raw,
                       DEFAULT_ACTION_TIMEOUT_SECONDS)
        return DEFAULT_ACTION_TIMEOUT_SECONDS
    return seconds


def public_url(url: str | None) -> str:
    """`url` without what may be secret: user, password, query and fragment."""
    parts = urlsplit(url or "")
    host = parts.hostname or ""
    host = f"[{host}]" if ":" in host else host
    try:
        port = f":{parts.port}" if parts.port else ""
    except ValueError:  # not a port number: not shown
        port = ""
    return urlunsplit((parts.scheme, host + port, parts.path, "", ""))


def action_server_fault(error: BaseException, timeout: float) -> str | None:
    """What went wrong with the action server when `RemoteAction.run` raised `error`, e.g. "answered
    HTTP 500"; None for anything else (a 400 rejection, a reply that breaks the schema, no endpoint)."""
    import aiohttp
    from rasa.core.actions.action import ActionExecutionRejection
    from rasa.shared.exceptions import RasaException

    if isinstance(error, asyncio.TimeoutError):
        return f"did not answer within {timeout:g} s"
    if not isinstance(error, RasaException) or isinstance(error, ActionExecutionRejection):
        return None
    cause = error.__cause__ or error.__context__  # Rasa raises its RasaException from aiohttp's error
    if isinstance(cause, asyncio.TimeoutError):  # aiohttp's own read timeout
        return f"did not answer in time ({type(cause).__name__})"
    if isinstance(cause, aiohttp.ClientConnectionError):
        return f"could not be reached ({type(cause).__name__}: {cause})"
    if isinstance(cause, aiohttp.ClientError):
        status = getattr(cause, "status", None)
        return f"answered HTTP {status}" if status else f"failed ({type(cause).__name__}: {cause})"
    return None


def _apology_in_language_of(tracker) -> str:
    """`actions_unavailable` in the conversation's language: the slot, else the message's writing or channel."""
    from bot.channels import texts
    from bot.nlu.language import conversation_language

    message = tracker.latest_message
    metadata = message.metadata if message and isinstance(message.metadata, dict) else {}
    language = conversation_language(tracker.get_slot(Slots.LANGUAGE), message.text if message else None,
                                     metadata.get(MetadataKeys.LANGUAGE))
    return texts.text(ACTIONS_UNAVAILABLE, language)


def _apologised_this_turn(tracker) -> bool:
    """Whether `actions_unavailable` was said since the latest user message."""
    from rasa.shared.core.events import BotUttered, UserUttered

    from bot.channels import texts
    from bot.nlu.language import LANGUAGES

    apologies = {texts.text(ACTIONS_UNAVAILABLE, language) for language in LANGUAGES}
    for event in reversed(tracker.events):
        if isinstance(event, UserUttered):
            return False
        if isinstance(event, BotUttered) and event.text in apologies:
            return True
    return False


def events_for_failed_action(action_name: str, tracker, apologise: bool) -> list:
    """What a custom action that failed returns: the apology (when `apologise`) and, for the active
    form's validation, its requested slot set to its own value (so the form asks again)."""
    from rasa.shared.core.events import BotUttered, SlotSet

    events = [BotUttered(_apology_in_language_of(tracker))] if apologise else []
    requested = tracker.get_slot(Slots.REQUESTED_SLOT)
    if requested and tracker.active_loop_name and action_name == f"validate_{tracker.active_loop_name}":
        events.append(SlotSet(requested, tracker.get_slot(requested)))
    return events


def _not_rasas_unreachable_line(record: logging.LogRecord) -> bool:
    """A logging filter: False for Rasa's own line about an unreachable action server (ours replaces it)."""
    message = str(record.msg)
    return not (message.startswith("Failed to run custom action") and "Couldn't connect" in message)


def answer_when_actions_fail(action_module=None) -> None:
    """Patch `RemoteAction.run`: time out after ACTION_TIMEOUT_SECONDS; an unreachable, failing or slow
    action server gives the apology (see above) instead of an exception."""
    module = action_module or importlib.import_module("rasa.core.actions.action")
    logging.getLogger(module.__name__).addFilter(_not_rasas_unreachable_line)  # added once however often called

    def replacement_for(rasa_run):
        async def run(self, output_channel, nlg, tracker, domain):
            starting = self.name() == module.ACTION_SESSION_START_NAME
            if not starting and _apologised_this_turn(tracker):
                # the action server failed earlier in this turn: do not wait for it again, so a turn
                # never outlasts its conversation lock (Rasa's ticket lifetime, 60 s)
                logger.error("Custom action '%s' skipped: the action server failed earlier in this turn.",
                             self.name())
                return events_for_failed_action(self.name(), tracker, False)
            timeout = action_timeout_seconds()
            try:
                return await asyncio.wait_for(rasa_run(self, output_channel, nlg, tracker, domain), timeout)
            except Exception as error:  # noqa: BLE001 - only the action server's faults are answered
                fault = action_server_fault(error, timeout)
                if fault is None:
                    raise
            apologise = not starting
            outcome = ("the session starts as Rasa's own action_session_start starts it" if starting
                       else "the user is asked to try again" if apologise else "the user was asked already")
            logger.error("Custom action '%s' failed: the action server at %s %s; %s.", self.name(),
                         public_url(self.action_endpoint.url), fault, outcome)
            if starting:
                return await module.ActionSessionStart().run(output_channel, nlg, tracker, domain)
            return events_for_failed_action(self.name(), tracker, apologise)
        return run

    _replace_once(module.RemoteAction, "run", replacement_for)


def raise_when_a_tracker_cannot_be_read(tracker_store_module=None) -> None:
    """Patch `FailSafeTrackerStore.retrieve` and `retrieve_full_tracker`: a failed read raises."""
    module = tracker_store_module or importlib.import_module("rasa.core.tracker_store")

    def reading(name: str):
        def replacement_for(rasa_read):
            async def read(self, sender_id):
                return await getattr(self._tracker_store, name)(sender_id)
            return read
        return replacement_for

    for name in ("retrieve", "retrieve_full_tracker"):
        _replace_once(module.FailSafeTrackerStore, name, reading(name))


def check_connections_before_use(tracker_store_module=None) -> None:
    """Patch `create_engine_kwargs` (PostgreSQL tracker stores): `pool_pre_ping=True` in every engine."""
    module = tracker_store_module or importlib.import_module("rasa.core.tracker_store")

    def replacement_for(rasa_kwargs):
        def engine_kwargs(url):
            kwargs = rasa_kwargs(url)
            return {**kwargs, "pool_pre_ping": True} if kwargs is not None and module.is_postgresql_url(url) \
                else kwargs
        return engine_kwargs

    _replace_once(module, "create_engine_kwargs", replacement_for)


def patch_tracker_store(tracker_store_module=None) -> None:
    """The changes to rasa.core.tracker_store: a failed read raises, and connections are checked."""
    raise_when_a_tracker_cannot_be_read(tracker_store_module)
    check_connections_before_use(tracker_store_module)


def patch_actions(action_module=None) -> None:
    """The changes to rasa.core.actions.action: one validator, and an answer when an action fails."""
    validate_action_results_with_one_validator(action_module)
    answer_when_actions_fail(action_module)


# module patched -> patch (the speed changes, our extractors among the pretrained ones, the faults); each
# applied when its module is first imported, so that a process that never loads a model (the action
# server, `rasa data validate`) does not import TensorFlow for it.
IMPORT_PATCHES = {
    "rasa.utils.tensorflow.models": load_models_without_training_step,
    "rasa.core.actions.action": patch_actions,
    "rasa.core.tracker_store": patch_tracker_store,
    "rasa.engine.storage.resource": finetune_from_cache,
    "rasa.shared.core.events": resolve_events_by_type_once,
    "rasa.shared.nlu.constants": treat_our_extractors_as_pretrained,
    "rasa.nlu.constants": treat_our_extractors_as_pretrained,
}


def apply_import_patches() -> None:
    """The changes above, each as soon as the module it changes is imported (wrapt's import hooks)."""
    import wrapt

    for module, patch in IMPORT_PATCHES.items():
        wrapt.register_post_import_hook(patch, module)


def threads_for_workers(args: Sequence[str], environ: dict) -> dict[str, str]:
    """TensorFlow thread settings to add to `environ` for `rasa ARGS` (see above); {} when none.

    Only when Rasa really runs several workers: SANIC_WORKERS above 1 and, in the endpoints given
    with --endpoints, a lock store that is not in memory (else Rasa silently runs one)."""
    try:
        workers = int(environ.get("SANIC_WORKERS", "1"))
    except ValueError:
        return {}
    serving = list(args[:1]) == ["run"] and "actions" not in args[1:2]
    chosen = any(name in environ for name in ("TF_INTRA_OP_PARALLELISM_THREADS", "TF_INTER_OP_PARALLELISM_THREADS"))
    if not serving or workers < 2 or chosen or not _shared_lock_store(args):
        return {}
    return {"TF_INTRA_OP_PARALLELISM_THREADS": str(max(1, len(os.sched_getaffinity(0)) // workers)),
            "TF_INTER_OP_PARALLELISM_THREADS": "1"}


def _shared_lock_store(args: Sequence[str]) -> bool:
    """Whether the endpoints file of `rasa run ARGS` names a lock store other than Rasa's in-memory one."""
    import yaml

    args = list(args)
    path = args[args.index("--endpoints") + 1] if "--endpoints" in args[:-1] else "endpoints.yml"
    try:
        lock_store = (yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}).get("lock_store") or {}
    except (OSError, yaml.YAMLError, AttributeError):
        return False
    return isinstance(lock_store, dict) and lock_store.get("type", "in_memory") != "in_memory"


def run_rasa(args: Sequence[str]) -> None:
    """Rasa's command line (`rasa ARGS`) in this process, with the changes above."""
    silenced = restore_warning_filters()
    from rasa.utils import common

    wanted = KNOWN_NOISE + [(category, "") for category in silenced]
    common.EXPECTED_WARNINGS.extend(noise for noise in wanted if noise not in common.EXPECTED_WARNINGS)
    apply_import_patches()
    os.environ.update(threads_for_workers(args, dict(os.environ)))
    from rasa.__main__ import main

    sys.argv = ["rasa", *args]
    main()
