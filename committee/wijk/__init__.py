"""Neighbourhoods (wijken) and their buurten."""
