"""bot/trainer/model_stamp.py: `make train` skips Rasa only when nothing the model is trained from changed."""
import os

import pytest

from bot.trainer.model_stamp import TRAINING_INPUTS, is_up_to_date, pending_path, stamp_path, write_stamp


@pytest.fixture
def project(tmp_path):
    for name, text in {"config.yml": "pipeline: []", "domain.yml": "intents: [greet]",
                       "data/nlu/basics.yml": "- intent: greet", "data/catalogue/steps.yml": "steps: []",
                       "bot/nlu/components.py": "X = 1", "build/spacy_en/dx_advisor_stamp.json": "{}",
                       "requirements.lock": "tensorflow==2.12.0",
                       "models/dx-advisor.tar.gz": "model bytes", "README.md": "not an input"}.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    model = tmp_path / "models" / "dx-advisor.tar.gz"
    write_stamp(model, tmp_path)
    return tmp_path, model


def test_a_model_just_stamped_is_up_to_date(project):
    root, model = project
    assert stamp_path(model).name == "dx-advisor.inputs.json"
    assert is_up_to_date(model, root)


@pytest.mark.parametrize("changed", ["config.yml", "domain.yml", "data/nlu/basics.yml", "data/catalogue/steps.yml",
                                     "bot/nlu/components.py", "build/spacy_en/dx_advisor_stamp.json",
                                     "requirements.lock"])
def test_a_change_to_any_training_input_means_training(project, changed):
    root, model = project
    (root / changed).write_text((root / changed).read_text() + "\n# one more line")
    assert not is_up_to_date(model, root)


def test_a_new_or_removed_data_file_means_training(project):
    root, model = project
    (root / "data" / "nlu" / "new.yml").write_text("- intent: bye")
    assert not is_up_to_date(model, root)
    (root / "data" / "nlu" / "new.yml").unlink()
    assert is_up_to_date(model, root)
    (root / "data" / "catalogue" / "steps.yml").unlink()
    assert not is_up_to_date(model, root)


def test_other_files_do_not_count(project):
    root, model = project
    (root / "README.md").write_text("edited")
    (root / "data" / "nlu" / "__pycache__").mkdir()
    (root / "data" / "nlu" / "__pycache__" / "x.pyc").write_bytes(b"\0")
    assert "README.md" not in TRAINING_INPUTS
    assert is_up_to_date(model, root)


def test_a_model_replaced_by_another_means_training(project):
    root, model = project
    model.write_text("another model")  # e.g. `rasa train` run by hand
    assert not is_up_to_date(model, root)


def test_a_touched_model_means_training(project):
    root, model = project
    stat = model.stat()
    os.utime(model, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    assert not is_up_to_date(model, root)


@pytest.mark.parametrize("stamp", [None, "", "not json", "[]", '{"inputs": "abc"}'])
def test_a_missing_or_broken_stamp_means_training(project, stamp):
    root, model = project
    if stamp is None:
        stamp_path(model).unlink()
    else:
        stamp_path(model).write_text(stamp)
    assert not is_up_to_date(model, root)


def test_no_model_means_training(project):
    root, model = project
    model.unlink()
    assert not is_up_to_date(model, root)


def test_a_file_edited_while_training_runs_is_not_stamped_as_trained(project):
    root, model = project
    (root / "data" / "nlu" / "basics.yml").write_text("- intent: greet\n- intent: bye")
    assert not is_up_to_date(model, root)  # `make train` checks, then trains on these inputs
    assert pending_path(model).exists()
    (root / "data" / "nlu" / "basics.yml").write_text("- intent: edited during training")
    model.write_text("the model trained on the inputs checked above")
    write_stamp(model, root)
    assert not pending_path(model).exists()
    assert not is_up_to_date(model, root)  # the edit made during training still needs a train
