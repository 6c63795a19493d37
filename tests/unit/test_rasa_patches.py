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
