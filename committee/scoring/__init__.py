"""The committee's work: reading released offers and scoring them."""
