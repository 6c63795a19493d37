"""The embeddable website widget.

  channel.py   WebchatInput: the /webchat routes (session, history, message), CORS and limits
  sessions.py  signed visitor tokens, rate limits, the origin allow-list, messages as the widget shows them (pure)
  static/      widget.js and the demo page

credentials.yml names bot.channels.webchat.channel.WebchatInput.
"""
