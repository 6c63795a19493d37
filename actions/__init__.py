"""Rasa SDK custom actions. Each one translates tracker state, calls bot/, and dispatches replies."""
