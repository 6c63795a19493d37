"""Whether the trained model is up to date with what it was trained from, answered in well under a second.

`rasa train` finds out that nothing changed by building its whole training graph in fingerprint mode:
about 10 s on every `make run` and `make test`. A hash of everything training reads (config, domain,
data/, the spaCy pipeline, our NLU components' code, the pinned packages), written beside the model when
it was trained, answers the same question. When anything differs, Rasa's own check runs as before.
"""
from __future__ import annotations

import hashlib
import json
import platform
from importlib.metadata import version
from pathlib import Path

# What `rasa train` (with our config) reads, relative to the project: a folder stands for its files.
# requirements.lock: a new TensorFlow or scikit-learn must retrain too.
TRAINING_INPUTS = ("config.yml", "domain.yml", "data", "bot/nlu", "build/spacy_en/dx_advisor_stamp.json",
                   "requirements.lock")


def inputs_fingerprint(root: Path) -> str:
    digest = hashlib.sha256()
    for name in TRAINING_INPUTS:
        path = root / name
        files = sorted(p for p in path.rglob("*") if p.is_file() and "__pycache__" not in p.parts) \
            if path.is_dir() else [path]
        for file in files:
            digest.update(str(file.relative_to(root)).encode())
            digest.update(file.read_bytes() if file.exists() else b"(missing)")
    digest.update(f"rasa {version('rasa')} python {platform.python_version()}".encode())
    return digest.hexdigest()


def stamp_path(model: Path) -> Path:
    return model.with_name(model.name.split(".")[0] + ".inputs.json")


def pending_path(model: Path) -> Path:
    """The inputs as they were when training started: a file edited during training is not stamped."""
    return model.with_name(model.name.split(".")[0] + ".inputs.pending")


def _model_identity(model: Path) -> dict:
    stat = model.stat()
    return {"size": stat.st_size, "mtime_ns": stat.st_mtime_ns}


def write_stamp(model: Path, root: Path) -> None:
    """Record what `model` was just trained from: the inputs `is_up_to_date` saw before training, if it ran."""
    pending = pending_path(model)
    inputs = pending.read_text().strip() if pending.exists() else inputs_fingerprint(root)
    stamp_path(model).write_text(json.dumps({"inputs": inputs, "model": _model_identity(model)}))
    pending.unlink(missing_ok=True)


def is_up_to_date(model: Path, root: Path) -> bool:
    """True when `model` is the one stamped and nothing it was trained from has changed since.
    When not, the inputs as they are now are kept for the stamp written after training."""
    inputs = inputs_fingerprint(root)
    try:
        stamp = json.loads(stamp_path(model).read_text())
        if stamp["model"] == _model_identity(model) and stamp["inputs"] == inputs:
            return True
    except (OSError, ValueError, KeyError, TypeError):
        pass
    if model.parent.is_dir():
        pending_path(model).write_text(inputs)
    return False
