"""The trainer's piped chat (bot/trainer/transcript.py) with stand-ins for the assistant's HTTP API."""
import io

from bot.trainer.transcript import play

FAQ_PARSE = {
    "intent": {"name": "faq", "confidence": 0.91},
    "response_selector": {"faq": {"response": {"intent_response_key": "faq/cloud_computing", "confidence": 0.97}}},
}


def test_play_skips_blank_lines_and_prints_intent_replies_and_buttons():
    sent = []
    replies = {"what is the cloud": [{"text": "Renting software.\nOver the internet.",
                                      "buttons": [{"title": "Tell me more", "payload": "/tell_me_more"}]}],
               "bye": []}

    def send(text):
        sent.append(text)
        return replies[text]

    out = io.StringIO()
    parses = {"what is the cloud": FAQ_PARSE, "bye": {"intent": {"name": "goodbye", "confidence": 0.8}}}
    assert play(["what is the cloud\n", "   \n", "bye\n"], parses.__getitem__, send, out) == 2
    assert sent == ["what is the cloud", "bye"]
    assert out.getvalue().splitlines() == [
        "> what is the cloud", "  (understood as faq 0.91, topic cloud_computing 0.97)",
        "  Renting software.", "  Over the internet.", "  [Tell me more]",
        "> bye", "  (understood as goodbye 0.80)", "  (no reply)",
    ]
