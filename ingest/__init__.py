"""Detect, read, validate and load the offices' figures into the warehouse."""
