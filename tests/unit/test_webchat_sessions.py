"""Widget sessions: signed tokens, rate limits, origins and the restored history."""
import pytest

from bot.channels.webchat.sessions import (TOKEN_LIFETIME_SECONDS, RateLimiter, SessionTokens, history_from_events,
                                 origin_allowed, signing_key)

KEY = b"k" * 32


class Clock:
    def __init__(self, now=1_000_000.0):
        self.now = now

    def __call__(self):
        return self.now


def test_token_round_trip_gives_the_session():
    tokens = SessionTokens(KEY)
    token, session = tokens.issue()
    assert tokens.verify(token) == session


def test_sessions_are_unguessable_and_distinct():
    tokens = SessionTokens(KEY)
    sessions = {tokens.issue()[1] for _ in range(200)}
    assert len(sessions) == 200 and all(len(s) >= 20 for s in sessions)


@pytest.mark.parametrize("mangle", [
    lambda t: t[:-2] + ("AA" if not t.endswith("AA") else "BB"),       # signature changed
    lambda t: "someone-else" + t[t.index("."):],                        # session swapped
    lambda t: t.replace(".", "", 1),                                    # malformed
    lambda t: "",
    lambda t: None,
    lambda t: "a.b.c" * 100,
])
def test_tampered_tokens_are_rejected(mangle):
    tokens = SessionTokens(KEY)
    token, _ = tokens.issue()
    assert tokens.verify(mangle(token)) is None


def test_token_signed_with_another_key_is_rejected():
    token, _ = SessionTokens(b"x" * 32).issue()
    assert SessionTokens(KEY).verify(token) is None


def test_tokens_expire():
    clock = Clock()
    tokens = SessionTokens(KEY, clock=clock)
    token, session = tokens.issue()
    clock.now += TOKEN_LIFETIME_SECONDS - 1
    assert tokens.verify(token) == session
    clock.now += 2
    assert tokens.verify(token) is None


def test_short_keys_are_refused():
    with pytest.raises(ValueError):
        SessionTokens(b"short")


def test_signing_key_from_environment_or_generated_once(tmp_path, monkeypatch):
    monkeypatch.delenv("WEBCHAT_SECRET", raising=False)
    key_file = tmp_path / "secret"
    first = signing_key(key_file=key_file)
    assert len(first) >= 32 and signing_key(key_file=key_file) == first
    assert key_file.stat().st_mode & 0o077 == 0
    monkeypatch.setenv("WEBCHAT_SECRET", "from-the-environment-please")
    assert signing_key(key_file=key_file) == b"from-the-environment-please"


def test_rate_limit_per_key_with_a_sliding_window():
    clock = Clock()
    limiter = RateLimiter(3, 60, clock=clock)
    assert [limiter.allow("a") for _ in range(4)] == [True, True, True, False]
    assert limiter.allow("b") is True
    clock.now += 60
    assert limiter.allow("a") is True


@pytest.mark.parametrize("origin, allowed", [
    (None, True),
    ("https://bot.example", True),            # the bot's own origin
    ("https://shop.example", True),           # listed
    ("http://localhost:8080", True),
    ("http://127.0.0.1:3000", True),
    ("https://evil.example", False),
    ("https://shop.example.evil.example", False),
    ("https://shop.example:444", False),      # exact match only
    ("null", False),
])
def test_origins(origin, allowed):
    assert origin_allowed(origin, ["https://shop.example"], "https://bot.example") is allowed


def test_history_shows_button_titles_and_hides_silent_commands():
    events = [
        {"event": "user", "text": "/greet"},
        {"event": "bot", "text": "Hi!", "data": {"buttons": [{"title": "Advice for my firm", "payload": "/request_advice"}]}},
        {"event": "user", "text": "/request_advice"},
        {"event": "bot", "text": "What kind of business?", "data": {}},
        {"event": "user", "text": "<img src=x onerror=alert(1)>"},
        {"event": "action", "name": "action_listen"},
    ]
    assert history_from_events(events) == [
        {"sender": "bot", "text": "Hi!", "buttons": [{"title": "Advice for my firm", "payload": "/request_advice"}]},
        {"sender": "user", "text": "Advice for my firm"},
        {"sender": "bot", "text": "What kind of business?"},
        {"sender": "user", "text": "<img src=x onerror=alert(1)>"},
    ]


def test_history_starts_again_after_a_restart():
    events = [{"event": "user", "text": "hi"}, {"event": "restart"}, {"event": "user", "text": "hello"}]
    assert history_from_events(events) == [{"sender": "user", "text": "hello"}]
