"""Builds the project's spaCy pipeline: spacy.blank("en") + lookup lemmatizer + entity ruler.

No pretrained model can be downloaded here, so Rasa's SpacyNLP loads this directory instead.
The lemma tables come from spacy-lookups-data and are saved into the pipeline, so
loading it needs no extra package.
"""
from __future__ import annotations

import hashlib
import json
import shutil
from importlib.metadata import version
from pathlib import Path
from typing import TYPE_CHECKING

from bot.nlu.vocabulary import load_vocabulary, ruler_patterns

if TYPE_CHECKING:
    import spacy

STAMP_FILE = "dx_advisor_stamp.json"


def source_fingerprint(entity_dir: Path) -> str:
    """A hash of everything the pipeline is built from: entity files and this builder."""
    digest = hashlib.sha256()
    for path in [Path(__file__), Path(__file__).with_name("vocabulary.py"), *sorted(entity_dir.glob("*.yml"))]:
        digest.update(path.name.encode())
        digest.update(path.read_bytes())
    # the installed version, read without importing spaCy (which imports TensorFlow: 4 s per `make` call)
    digest.update(version("spacy").encode())
    return digest.hexdigest()


def build_pipeline(entity_dir: Path) -> "spacy.language.Language":
    import spacy

    nlp = spacy.blank("en")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    nlp.initialize()  # loads the lookup tables from spacy-lookups-data
    lemmatizer = nlp.get_pipe("lemmatizer")

    def lemmatize(token_text: str) -> str:
        return lemmatizer.lookup_lemmatize(nlp.make_doc(token_text)[0])[0]

    def tokenize(text: str) -> list[str]:
        return [t.text for t in nlp.make_doc(text)]

    vocabulary = load_vocabulary(entity_dir)
    ruler = nlp.add_pipe("entity_ruler", config={"phrase_matcher_attr": None, "overwrite_ents": True})
    ruler.add_patterns(ruler_patterns(vocabulary, tokenize, lemmatize))
    return nlp


def ensure_pipeline(entity_dir: Path, out_dir: Path, force: bool = False) -> bool:
    """Build into `out_dir` unless it is already up to date. Returns True if it built."""
    fingerprint = source_fingerprint(entity_dir)
    stamp = out_dir / STAMP_FILE
    if not force and stamp.exists() and json.loads(stamp.read_text()).get("fingerprint") == fingerprint:
        return False
    nlp = build_pipeline(entity_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = out_dir.with_name(out_dir.name + ".tmp")
    shutil.rmtree(tmp, ignore_errors=True)
    nlp.to_disk(tmp)
    (tmp / STAMP_FILE).write_text(json.dumps({"fingerprint": fingerprint}))
    shutil.rmtree(out_dir, ignore_errors=True)
    tmp.rename(out_dir)  # swap in whole so a running server never sees half a pipeline
    return True
