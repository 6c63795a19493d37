"""`make bench`: dx-advisor against a stock `rasa init` bot, in one run, over REST (issue 14).

`python -m bench --help` lists the options; docs/PERFORMANCE.md says how to read the results.
"""
