"""The committee: recruiting, composing (lottery or by hand), inviting, and the public pages.

One module per family of pages: ``recruitment`` (settings and applications, also the public
form), ``composition`` (quotas and changes by hand), ``draws`` (the draw pages, also the public
one), ``members`` (invitations, letters, accepting a seat) and ``context`` (what templates get).
Importing them registers their routes on ``bp``.
"""

from committee.panel.views import composition, context, draws, members, recruitment  # noqa: F401
from committee.panel.views.blueprint import bp

__all__ = ["bp"]
