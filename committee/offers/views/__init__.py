"""Offers: the public call and its questions, the bidder's organisation, offer and annexes, the
moderator's anonymisation review, and the anonymised annexes members download.

One module per family of pages: ``call`` (the public call, questions and the moderator's
answers), ``organisation`` (the bidder's organisation), ``offer`` (writing and submitting an offer
and its annexes), ``anonymisation`` (the moderator's review) and ``members`` (the annexes members
download). Importing them registers their routes on ``bp``.
"""

from committee.offers.views import anonymisation, call, members, offer, organisation  # noqa: F401
from committee.offers.views.blueprint import bp

__all__ = ["bp"]
