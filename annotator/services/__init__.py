"""Use cases shared by the pages, the JSON API and the CLI: one use case, one function."""
