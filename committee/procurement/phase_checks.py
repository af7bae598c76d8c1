"""How the phase machine asks other domains "may this step happen?" without importing them.

``procurement/services.py`` moves a procurement from phase to phase. Some steps depend on what
other domains know: offers may only open once the committee is composed (``panel``), and a
decision may only be published once its rationale and award are in order (``publication``).
Those domains import the phase machine, so it cannot import them back. Instead each registers
its check here, next to the rule itself::

    @phase_checks.before(Step.OPEN_OFFERS)
    def _committee_is_composed(*, procurement) -> None:
        ...raise ProcessError("...") to refuse...

and ``after(step)`` for work that must follow a step in the same transaction. The application
factory imports every domain (``committee/models.py`` and the blueprints), so all checks are
registered before the first request; a step that needs a check but finds none refuses to run
rather than skip it (fail closed).
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum


class Step(StrEnum):
    OPEN_OFFERS = "open_offers"
    PUBLISH = "publish"


Check = Callable[..., None]

_before: dict[Step, list[Check]] = {step: [] for step in Step}
_after: dict[Step, list[Check]] = {step: [] for step in Step}


def before(step: Step) -> Callable[[Check], Check]:
    """Register ``check(*, procurement)``: it raises ``ProcessError`` when the step may not happen."""

    def register(check: Check) -> Check:
        if check not in _before[step]:
            _before[step].append(check)
        return check

    return register


def after(step: Step) -> Callable[[Check], Check]:
    """Register ``hook(*, actor, procurement)``: it runs once the step's phase is set."""

    def register(hook: Check) -> Check:
        if hook not in _after[step]:
            _after[step].append(hook)
        return hook

    return register


def check(step: Step, procurement) -> None:
    """Run every check registered for ``step``; the first that refuses raises ``ProcessError``."""
    if not _before[step]:
        raise RuntimeError(f"No domain registered a check for {step}: import the domains first.")
    for registered in _before[step]:
        registered(procurement=procurement)


def follow(step: Step, *, actor, procurement) -> None:
    for hook in _after[step]:
        hook(actor=actor, procurement=procurement)


def registered() -> dict[str, dict[str, list[str]]]:
    """What is registered, by step, as ``module.function`` names (for tests and the docs)."""
    return {
        step.value: {
            "before": [f"{c.__module__}.{c.__name__}" for c in _before[step]],
            "after": [f"{c.__module__}.{c.__name__}" for c in _after[step]],
        }
        for step in Step
    }
