"""The codebook model and its validation."""
