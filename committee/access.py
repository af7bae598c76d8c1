"""Access rules: every view declares exactly one, and the URL-map test checks that it did."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from flask import abort, redirect, request, url_for
from flask_login import current_user

from committee.auth.models import Role

# rule name -> roles allowed (None: anyone, also anonymous)
RULES: dict[str, frozenset[Role] | None] = {
    "public": None,
    "login": frozenset(Role),
    "moderator": frozenset({Role.MODERATOR}),
    "bidder": frozenset({Role.BIDDER}),
    "resident": frozenset({Role.RESIDENT}),
    "member_or_moderator": frozenset({Role.RESIDENT, Role.MODERATOR}),
}


def rule(name: str) -> Callable:
    """Declare who may call this view. Object-level checks live in each domain's policy."""
    allowed = RULES[name]

    def decorate(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            if allowed is not None:
                if not current_user.is_authenticated:
                    return redirect(url_for("auth.login", next=request.full_path))
                if current_user.role not in allowed:
                    abort(403)
            return view(*args, **kwargs)

        wrapper.access_rule = name
        return wrapper

    return decorate
