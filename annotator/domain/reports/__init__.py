"""The study report as tables and SVG charts."""
