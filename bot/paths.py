"""Where the project's data and build output live, relative to the repository root."""
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = REPO_ROOT / "data"
ENTITY_DIR = DATA_DIR / "entities"
BUILD_DIR = REPO_ROOT / "build"
SPACY_PIPELINE_DIR = BUILD_DIR / "spacy_en"
