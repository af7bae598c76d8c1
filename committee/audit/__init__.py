"""The tamper-evident audit log of decision-relevant actions."""
