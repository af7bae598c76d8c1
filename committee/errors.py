"""Error pages in plain Dutch, without internals; a failed request rolls back."""

from flask import render_template
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError

from committee.extensions import db

MESSAGES = {
    400: lambda: _("Dit verzoek konden we niet verwerken. Ga terug en probeer het opnieuw."),
    403: lambda: _("U heeft geen toegang tot deze pagina."),
    404: lambda: _("Deze pagina bestaat niet (meer)."),
    405: lambda: _("Dit verzoek konden we niet verwerken. Ga terug en probeer het opnieuw."),
    413: lambda: _("Het bestand is te groot."),
    429: lambda: _("U heeft het te vaak geprobeerd. Wacht even en probeer het dan opnieuw."),
    500: lambda: _(
        "Er ging bij ons iets mis. Wat u al had opgeslagen, is bewaard. Probeer het later opnieuw."
    ),
}


def _page(status: int, message: str | None = None):
    return render_template("errors/error.html", status=status, message=message or MESSAGES[status]()), status


def register_error_handlers(app) -> None:
    for status in (400, 403, 404, 405, 413, 429):
        app.register_error_handler(status, lambda e, s=status: _page(s))

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return _page(
            400, _("Uw formulier was verlopen. Ga terug, laad de pagina opnieuw en probeer het nog eens.")
        )

    @app.errorhandler(500)
    def server_error(error):
        db.session.rollback()
        return _page(500)
