"""annotator: a media-literacy annotation tool for source and framing review.

The package root stays free of Flask imports so that the pure core, ``annotator.domain``
(agreement maths, text and offsets, codebooks, formats), can be imported in a notebook
without pulling in the web stack.
"""

from __future__ import annotations

__version__ = "0.1.0"


def create_app(test_config=None):
    """Build the Flask application (see :func:`annotator.app.factory.create_app`)."""
    from annotator.app.factory import create_app as _create_app

    return _create_app(test_config)
