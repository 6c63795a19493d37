"""Handing an owner over to a person: reading their contact, the lead an adviser gets, and telling
the operator. `contact` and `lead` are pure; `notify` is the one edge that talks to the network.
The lead itself is stored by bot.storage; actions/handoff.py runs the conversation."""
