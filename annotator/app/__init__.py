"""App wiring: the factory, configuration, extensions, auth, errors, headers, database."""
