"""Canonical text, offsets, HTML/Markdown reduction and article files."""
