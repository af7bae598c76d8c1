"""Logging in and out: passwords for moderators and bidders, invitation links for residents."""
