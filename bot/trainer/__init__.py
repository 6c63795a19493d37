"""The trainers' tools: they run on demand (make validate, test-nlu, review, stats, shell), never
on the per-message path.

  validate.py     our checks of data/ and domain.yml: file, line and fix for every problem
  rasa_data.py    checks over Rasa's training data: duplicates, unsent responses, unknown names
  rasa_check.py   Rasa's own validator, in-process, every finding counted
  nlu_report.py   a `rasa test nlu` results folder as tables for trainers
  transcript.py   piped `make shell`: each line, what it was understood as, the replies
  events.py       the tracker store's conversations: messages and advice-form attempts
  review.py       what went wrong in real conversations
  nlu_stub.py     the misunderstood messages as an NLU file to label
  stats.py        usage numbers and a chart
  model_stamp.py  whether models/ is up to date with what it was trained from (make train, run)
"""
