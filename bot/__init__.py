"""dx-advisor: plain-Python core of the assistant (knowledge, parsing, validation) plus its Rasa edges."""
