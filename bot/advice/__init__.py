"""The advisory core: what the assistant knows and decides, as plain Python with no Rasa import.

  data.py             the knowledge from data/, loaded once (AdviceData)
  catalogue.py        the first steps a firm can take, validated with file, line and fix
  maturity.py         the digital level L1-L4 from the tools a firm uses
  money.py            exchange rates and amounts as people say them
  profile_parsing.py  head counts and budgets from free text
  recommender.py      the ranked three-step plan and its reasons
  slots.py            slot values <-> profile, and the plan for a profile
  plan_record.py      the plan as it was given: the record follow-ups read, and the next version
  step_refs.py        which step a message means ("step 2", "the booking page")
  plan_text.py        the read-back, the plan and its follow-ups in words
  replies.py          the advice flow's reply texts and labels (data/advice/replies.yml)
  explain.py          "tell me more": which topic, how deep

Actions and channels call into this package; nothing here calls out to them.
"""
