"""The challenge by call for action (uitvraag voor actie, docs/challenges.md): finalists, a coaching
period with milestones, a final where the finalists pitch, and the jury's division of the start
financing. The open call and the blind paper round are the procurement's own; the finalists are
the presenting offers of the presentation round (``committee.scoring.presentation``)."""
