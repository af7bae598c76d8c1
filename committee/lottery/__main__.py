"""Rerun a published draw: ``python -m committee.lottery < loting.json`` (see ``draw.main``)."""

import sys

from committee.lottery.draw import main

sys.exit(main())
