#!/usr/bin/env bash
# Prints the path of a Python 3.10 interpreter: from PATH, else from pyenv. Exits 1 if none.
is_py310() { "$1" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 10))' >/dev/null 2>&1; }

for candidate in python3.10 python3 python; do
  if command -v "$candidate" >/dev/null 2>&1 && is_py310 "$candidate"; then
    command -v "$candidate"; exit 0
  fi
done
for candidate in "${PYENV_ROOT:-$HOME/.pyenv}"/versions/3.10*/bin/python3.10; do
  if [ -x "$candidate" ] && is_py310 "$candidate"; then echo "$candidate"; exit 0; fi
done
exit 1
