"""The pure core: plain values in, plain values out; no Flask, no SQLAlchemy."""
