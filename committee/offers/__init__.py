"""Bidders: the call for offers, writing and submitting an offer."""
