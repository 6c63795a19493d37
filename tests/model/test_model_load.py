"""The faster model load (bot/rasa_patches.py) computes exactly what Rasa's own load does.

Both ways load the trained model in a process of their own (tests/model/model_outputs.py); every
weight, every held-out parse and TED's predictions must match.
"""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.model.conftest import REPO_ROOT, assistant_env, require_model

pytestmark = pytest.mark.model


@pytest.fixture(scope="module")
def loaded(tmp_path_factory) -> dict[str, dict]:
    require_model()
    out = tmp_path_factory.mktemp("model-load")
    env = assistant_env(out / "app.db")
    runs = {way: subprocess.Popen([sys.executable, str(REPO_ROOT / "tests" / "model" / "model_outputs.py"), way,
                                   str(out / f"{way}.json")], cwd=REPO_ROOT, env=env, stdout=subprocess.DEVNULL,
                                  stderr=(out / f"{way}.log").open("w"))
            for way in ("rasa", "patched")}
    for way, run in runs.items():
        assert run.wait(timeout=600) == 0, (out / f"{way}.log").read_text()[-3000:]
    return {way: json.loads((out / f"{way}.json").read_text()) for way in runs}


def test_every_weight_is_created_and_restored(loaded):
    rasa, patched = loaded["rasa"]["weights"], loaded["patched"]["weights"]
    assert set(rasa) == set(patched) and len(rasa) >= 3  # DIET, the ResponseSelector and TED
    for model, weights in rasa.items():
        assert weights, model
        assert patched[model] == weights, model


def test_held_out_sentences_are_understood_the_same(loaded):
    assert len(loaded["rasa"]["parses"]) > 100
    assert loaded["patched"]["parses"] == loaded["rasa"]["parses"]


def test_ted_predicts_the_same(loaded):
    assert all(sum(p) > 0.99 for p in loaded["rasa"]["ted"])
    assert loaded["patched"]["ted"] == loaded["rasa"]["ted"]
