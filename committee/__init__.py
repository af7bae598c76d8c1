"""WijKiezen: residents choose who does the welfare work in their neighbourhood."""

# Nothing is imported here at import time: ``committee.lottery`` must import without Flask or
# SQLAlchemy. ``from committee import create_app`` still works, through ``__getattr__`` (PEP 562),
# which imports the factory the first time the name is asked for.

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from committee.factory import create_app

__all__ = ["create_app"]


def __getattr__(name: str):
    if name == "create_app":
        from committee.factory import create_app

        globals()["create_app"] = create_app
        return create_app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
