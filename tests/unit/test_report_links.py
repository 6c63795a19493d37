"""Signed links to a firm's chart and plan files: only the link made for a conversation opens it."""
import pytest

from bot.report.links import FILES, LinkSigner, ReportRef, public_base, split_url

SIGNER = LinkSigner(b"k" * 32)
REF = ReportRef("tg-42", 3, "zh", "2026-12-06T10:00:00+00:00")


def test_a_token_reads_back_as_what_it_was_made_for():
    assert SIGNER.read(SIGNER.token(REF)) == REF


def test_a_token_made_for_another_conversation_does_not_open_this_one():
    theirs = SIGNER.token(ReportRef("tg-43", 3, "zh", REF.made))
    body, signature = SIGNER.token(REF).split(".")
    their_body, their_signature = theirs.split(".")
    assert SIGNER.read(f"{their_body}.{signature}") is None  # their conversation with our signature
    assert SIGNER.read(f"{body}.{their_signature}") is None


def test_another_key_or_any_change_does_not_verify():
    token = SIGNER.token(REF)
    assert LinkSigner(b"x" * 32).read(token) is None
    for changed in (token[:-1] + ("A" if token[-1] != "A" else "B"), token + ".", "", "." * 3, "a" * 700, None, 42,
                    token[:-1] + "é", "é.é"):
        assert SIGNER.read(changed) is None


def test_a_signed_body_that_is_not_a_reference_is_refused():
    body = "eyJhIjogMX0"  # {"a": 1}, signed with our key: still no reference
    assert SIGNER.read(f"{body}.{SIGNER._sign(body)}") is None


def test_tokens_are_unguessable_and_url_safe():
    token = SIGNER.token(REF)
    assert len(token.split(".")[1]) == 43 and all(c.isalnum() or c in "-_." for c in token)


def test_urls_name_the_public_base_and_split_back(monkeypatch):
    monkeypatch.setenv("DX_PUBLIC_URL", "https://bot.example.org/")
    url = SIGNER.url(REF, "plan.pdf")
    assert url.startswith("https://bot.example.org/report/") and url.endswith("/plan.pdf")
    assert split_url(url) == (SIGNER.token(REF), "plan.pdf")
    assert public_base() == "https://bot.example.org/"
    with pytest.raises(ValueError):
        SIGNER.url(REF, "secrets.txt")


@pytest.mark.parametrize("url", ["https://example.com/plan.png", "/report/abc/other.txt", "/report//chart.png", None])
def test_other_urls_are_not_report_links(url):
    assert split_url(url) is None


def test_every_file_has_a_content_type():
    assert set(FILES) == {"chart.png", "plan.pdf", "plan.md"}


def test_a_short_key_is_refused():
    with pytest.raises(ValueError):
        LinkSigner(b"short")
