"""The phases one procurement goes through, in order, with their Dutch names."""

from __future__ import annotations

import enum

from flask_babel import lazy_gettext as _l


class Phase(enum.StrEnum):
    CONCEPT = "concept"
    NEEDS = "needs"
    RECRUITMENT = "recruitment"
    COMPOSITION = "composition"
    OFFERS_OPEN = "offers_open"
    ANONYMISATION = "anonymisation"
    SCORING = "scoring"
    DELIBERATION = "deliberation"
    DECISION = "decision"
    PUBLISHED = "published"
    MONITORING = "monitoring"

    @property
    def label(self) -> str:
        return str(PHASE_LABELS[self])

    @property
    def index(self) -> int:
        return PHASE_ORDER.index(self)

    def is_before(self, other: Phase) -> bool:
        return self.index < other.index

    def at_or_after(self, other: Phase) -> bool:
        return self.index >= other.index


PHASE_ORDER: list[Phase] = list(Phase)

PHASE_LABELS = {
    Phase.CONCEPT: _l("Voorbereiding"),
    Phase.NEEDS: _l("Wat is er nodig"),
    Phase.RECRUITMENT: _l("Aanmelden voor de commissie"),
    Phase.COMPOSITION: _l("Samenstellen commissie"),
    Phase.OFFERS_OPEN: _l("Aanbod indienen"),
    Phase.ANONYMISATION: _l("Controle anonimisering"),
    Phase.SCORING: _l("Beoordelen"),
    Phase.DELIBERATION: _l("Overleg commissie"),
    Phase.DECISION: _l("Besluit"),
    Phase.PUBLISHED: _l("Gepubliceerd"),
    Phase.MONITORING: _l("Volgen"),
}

# Phases for which the moderator plans dates (shown as the public timeline).
PLANNED_PHASES = [
    Phase.NEEDS,
    Phase.RECRUITMENT,
    Phase.OFFERS_OPEN,
    Phase.SCORING,
    Phase.DELIBERATION,
    Phase.PUBLISHED,
]
