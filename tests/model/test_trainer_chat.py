"""`python -m bot chat`: what `printf ... | make shell` shows a trainer, against the running assistant."""
import re
import subprocess
import sys

import pytest

from bot.paths import REPO_ROOT

pytestmark = pytest.mark.model


def chat(url: str, text: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "bot", "chat", "--url", url], input=text, text=True,
                          capture_output=True, cwd=REPO_ROOT, timeout=120)


def test_piped_lines_show_the_topic_and_the_replies(assistant, responses):
    done = chat(assistant.url, "what is internet plus\n\ntell me more\n")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "> what is internet plus"
    assert re.fullmatch(r"  \(understood as faq \d\.\d\d, topic what_is_internet_plus \d\.\d\d\)", lines[1]), lines[1]
    assert f"  {responses['utter_faq/what_is_internet_plus'][0].splitlines()[0]}" in lines
    assert "> tell me more" in lines
    assert lines[lines.index("> tell me more") + 1].startswith("  (understood as tell_me_more ")
    assert f"  {responses['utter_faq/what_is_internet_plus_more_1'][0].splitlines()[0]}" in lines


def test_no_assistant_is_a_one_line_error(tmp_path):
    done = chat("http://127.0.0.1:9", "hi\n")
    assert done.returncode == 1
    assert done.stderr.startswith("ERROR the assistant at http://127.0.0.1:9 did not answer")
    assert "Traceback" not in done.stderr
