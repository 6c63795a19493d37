"""What an owner takes away: the maturity chart (PNG), the plan as a one-page PDF and as Markdown,
and the signed links the channels serve them under. Pure rendering: no Rasa import."""
