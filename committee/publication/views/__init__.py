"""Public pages (no login), the committee's rationale, the award, the bidders' feedback.

One module per family of pages: ``public`` (home, neighbourhood and procurement pages, the site's
fixed pages), ``printed`` (print version, poster, QR code), ``open_data`` (OCDS and Atom),
``rationale`` (the members' rationale, the moderator's review and approval, the provisional award)
and ``feedback`` (the bidder's page). Importing them registers their routes on ``bp``.
"""

from committee.publication.views import feedback, open_data, printed, public, rationale  # noqa: F401
from committee.publication.views.blueprint import bp

__all__ = ["bp"]
