"""The rationale, the decision, and the public pages that show them."""
