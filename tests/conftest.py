"""Shared test set-up: the repository root on sys.path is provided by the editable install."""
