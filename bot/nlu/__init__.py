"""Understanding messages, the parts that run on every message: the entity vocabulary
(data/entities/), the spaCy pipeline built from it, the input screen, our two Rasa NLU
components, and the one reader of Rasa's parse results.

  vocabulary.py      entity files -> canonical values and entity-ruler patterns
  spacy_pipeline.py  spacy.blank("en") + lemmas + entity ruler, built into build/spacy_en
  input_screen.py    empty, too long, symbols, code, other language, unknown command (pure)
  components.py      CanonicalEntityExtractor and InputScreen, named in config.yml
  parse_result.py    intent and FAQ topic, each with its score, from a parse result (pure)
"""
