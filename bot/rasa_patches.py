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
"""
from __future__ import annotations

import re
import sys
import warnings
from typing import Sequence

from bot.names import RASA_DEFAULT_RESPONSES

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


def run_rasa(args: Sequence[str]) -> None:
    """Rasa's command line (`rasa ARGS`) in this process, with the changes above."""
    silenced = restore_warning_filters()
    from rasa.utils import common

    wanted = KNOWN_NOISE + [(category, "") for category in silenced]
    common.EXPECTED_WARNINGS.extend(noise for noise in wanted if noise not in common.EXPECTED_WARNINGS)
    from rasa.__main__ import main

    sys.argv = ["rasa", *args]
    main()
