"""Adjudication use cases: span and answer decisions, the log, the state of an article."""
