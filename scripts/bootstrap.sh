#!/usr/bin/env bash
# Sets up everything `make run` and `make test` need, and is quick when nothing changed:
# finds Python 3.10, creates .venv, installs the pinned dependencies, builds the spaCy pipeline.
set -euo pipefail
cd "$(dirname "$0")/.."

VENV=.venv
STAMP="$VENV/.dx-advisor-deps"

is_py310() { "$1" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))' >/dev/null 2>&1; }

if [ ! -x "$VENV/bin/python" ] || ! is_py310 "$VENV/bin/python"; then
  if ! PYTHON=$(scripts/find_python.sh); then
    cat >&2 <<'MSG'
dx-advisor needs Python 3.10 (Rasa 3.6 does not run on 3.11 or later), and none was found.
Install it, then run the command again. For example:
  Debian/Ubuntu:  sudo apt-get install python3.10 python3.10-venv
  pyenv:          pyenv install 3.10.13   (the repo's .python-version selects it)
  macOS:          brew install python@3.10
MSG
    exit 1
  fi
  echo "Creating $VENV with $PYTHON"
  rm -rf "$VENV"
  "$PYTHON" -m venv "$VENV"
fi

# Reinstall only when the pinned dependencies changed.
wanted=$(cat requirements.lock pyproject.toml | sha256sum | cut -d' ' -f1)
if [ "$(cat "$STAMP" 2>/dev/null)" != "$wanted" ]; then
  echo "Installing pinned dependencies (a few minutes the first time)..."
  # A pip configuration that lists local package folders warns once per package it looks up; drop those lines.
  pip_install() {
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check "$@" \
      2> >(grep -v "^WARNING: Location '.*' is ignored" >&2)
  }
  pip_install --upgrade pip 'setuptools<71' wheel
  pip_install -r requirements.lock
  pip_install --no-deps --no-build-isolation -e .
  echo "$wanted" > "$STAMP"
fi

# Broken entity files leave the last good pipeline in place; `make validate` and `make train` report them.
"$VENV/bin/python" -m bot build-spacy 2>/dev/null ||
  echo "The spaCy pipeline was not rebuilt: data/entities has a problem (see make validate)." >&2
