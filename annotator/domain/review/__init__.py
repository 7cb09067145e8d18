"""Comparing reviewers and proposing adjudication candidates."""
