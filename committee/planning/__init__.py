"""The procurement calendar: what the municipality plans to buy or ask (with a public page and an
iCalendar feed), the contracts it already has with social entrepreneurs and resident initiatives,
and people who follow a theme by e-mail."""
