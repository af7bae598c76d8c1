"""The story bank: short stories with a photo about what buying with impact brought a neighbourhood."""
