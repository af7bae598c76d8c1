"""The coalition form of a challenge (docs/challenges.md, "Coalitie"): a public list of parties
who want to join, messages between them through the platform, a coalition formed by invitation
and acceptance, and its plan submitted as an offer whose coalition partners are the members."""
