"""Monitoring after the award: residents' signals about the chosen party, and its answers."""
