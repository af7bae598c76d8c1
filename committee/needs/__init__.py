"""What the neighbourhood needs: themes residents rank and add, and results everyone reads."""
