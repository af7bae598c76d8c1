"""Composing the selection committee: applications, invitations, members."""
