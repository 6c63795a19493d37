"""Rasa input channels: each checks requests, caps message size before NLU, then delegates."""
