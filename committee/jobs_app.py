"""The consumer's app: ``huey_consumer committee.jobs_app.huey`` (or ``python -m committee.jobs_app``).

The app is created once, from the same environment as the web app (``DATABASE_URL``,
``JOBS_URL`` …); every job runs in an app context of its own.
"""

from __future__ import annotations

import logging
import sys

from committee import create_app
from committee.jobs import huey_of

app = create_app()
huey = huey_of(app)


def main(argv: list[str] | None = None) -> None:
    """Run a consumer: two thread workers by default (``-w N`` for more), Huey's own options."""
    from huey.consumer_options import ConsumerConfig, OptionParserHandler

    options, _args = OptionParserHandler().get_option_parser().parse_args(argv)
    values = {k: v for k, v in options.__dict__.items() if v is not None}
    values.setdefault("workers", 2)
    config = ConsumerConfig(**values)
    config.validate()
    config.setup_logger(logging.getLogger("huey"))
    huey.create_consumer(**config.values).run()


if __name__ == "__main__":
    main(sys.argv[1:])
