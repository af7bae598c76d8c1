"""Setting up a procurement and moving it through its phases (the moderator's work)."""
