"""Login (with a second factor for moderators), logout, invitation links, bidder registration."""

import time

import segno
from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import login_user, logout_user

from committee import ratelimit
from committee.access import rule
from committee.audit import services as audit
from committee.auth import services
from committee.auth.forms import (
    BidderRegistrationForm,
    ContinueForm,
    LoginForm,
    LogoutForm,
    SecondFactorForm,
    ShortCodeForm,
)
from committee.auth.models import Role, User
from committee.extensions import db
from committee.mail import send_mail
from committee.offers import services as offer_services
from committee.offers.models import OrganisationKind
from committee.ratelimit import limiter
from committee.security import local_path

bp = Blueprint("auth", __name__)


def _safe_next(default: str) -> str:
    return local_path(request.args.get("next"), default)


def home_for(user) -> str:
    if user.is_moderator:
        return url_for("procurement.dashboard")
    if user.is_bidder:
        return url_for("offers.dashboard")
    return url_for("scoring.home")


def log_in(user) -> None:
    """Start a fresh session (the old one's contents are dropped) bound to a server-side record."""
    lang = session.get("lang")
    services.end_login_session(session.get("sid"))  # a login replaces the one before, if any
    session.clear()
    if lang:
        session["lang"] = lang
    session["sid"] = services.start_login_session(user)
    login_user(user)
    if user.is_moderator:
        audit.record("auth.login", actor=user, obj=user)


@bp.get("/inloggen")
@rule("public")
def login():
    form = LoginForm(email=request.args.get("email", ""))
    return render_template("auth/login.html", form=form)


@bp.post("/inloggen")
@rule("public")
@limiter.limit(ratelimit.LOGIN)
def login_post():
    form = LoginForm()
    if form.validate_on_submit():
        user = services.authenticate(form.email.data, form.password.data)
        if user is not None:
            target = _safe_next(home_for(user))
            if services.needs_second_factor(
                user, required_for_moderators=current_app.config["MODERATOR_TOTP_REQUIRED"]
            ):
                _await_second_factor(user, target)
                step = "auth.second_factor" if user.totp_secret else "auth.setup_second_factor"
                return redirect(url_for(step))
            log_in(user)
            db.session.commit()
            return redirect(target)
        form.password.errors.append(_("Het e-mailadres of het wachtwoord klopt niet."))
    return render_template("auth/login.html", form=form), 422


PENDING_SECONDS = 600


def _await_second_factor(user, target: str) -> None:
    """Password accepted; the session is not logged in until the code is right."""
    lang = session.get("lang")
    services.end_login_session(session.get("sid"))  # a login replaces the one before, if any
    session.clear()
    if lang:
        session["lang"] = lang
    session["pending_user"], session["pending_at"], session["pending_next"] = (user.id, time.time(), target)


def _pending_user():
    user_id, started = session.get("pending_user"), session.get("pending_at", 0)
    if user_id is None or time.time() - started > PENDING_SECONDS:
        return None
    return db.session.get(User, user_id)


def _finish_second_factor(user):
    target = session.get("pending_next") or home_for(user)
    log_in(user)
    db.session.commit()
    return redirect(target)


@bp.get("/inloggen/code")
@rule("public")
def second_factor():
    if _pending_user() is None:
        return redirect(url_for("auth.login"))
    return render_template("auth/second_factor.html", form=SecondFactorForm())


@bp.post("/inloggen/code")
@rule("public")
@limiter.limit(ratelimit.SECOND_FACTOR)
def second_factor_post():
    user = _pending_user()
    if user is None:
        return redirect(url_for("auth.login"))
    form = SecondFactorForm()
    if form.validate_on_submit():
        check = services.check_second_factor(user, form.code.data)
        if check == services.CodeCheck.OK:
            return _finish_second_factor(user)
        if check == services.CodeCheck.USED:
            db.session.rollback()
            form.code.errors.append(
                _("Deze code is al gebruikt. Wacht tot uw app een nieuwe code laat zien en typ die.")
            )
        else:
            form.code.errors.append(_("Deze code klopt niet. Typ de code die uw app nu laat zien."))
    return render_template("auth/second_factor.html", form=form), 422


def _render_setup(user, form, status=200):
    secret = session.setdefault("pending_totp_secret", services.new_totp_secret())
    qr = segno.make(services.totp_uri(user, secret), error="m")
    return render_template(
        "auth/setup_second_factor.html",
        form=form,
        secret=secret,
        qr=qr.svg_data_uri(scale=5, dark="#001a40"),
    ), status


@bp.get("/inloggen/tweede-stap-instellen")
@rule("public")
def setup_second_factor():
    user = _pending_user()
    if user is None:
        return redirect(url_for("auth.login"))
    if user.totp_secret:
        return redirect(url_for("auth.second_factor"))
    return _render_setup(user, SecondFactorForm())


@bp.post("/inloggen/tweede-stap-instellen")
@rule("public")
@limiter.limit(ratelimit.SECOND_FACTOR)
def setup_second_factor_post():
    user = _pending_user()
    if user is None or user.totp_secret:
        return redirect(url_for("auth.login"))
    form = SecondFactorForm()
    if form.validate_on_submit():
        secret = session.get("pending_totp_secret", "")
        if secret and services.enrol_second_factor(user, secret=secret, code=form.code.data):
            audit.record("auth.second_factor_enrol", actor=user, obj=user)
            return _finish_second_factor(user)
        form.code.errors.append(_("Deze code klopt niet. Typ de code die uw app nu laat zien."))
    return _render_setup(user, form, 422)


@bp.post("/uitloggen")
@rule("login")
def logout():
    if LogoutForm().validate_on_submit():
        services.end_login_session(session.get("sid"))
        db.session.commit()
        logout_user()
        session.clear()
        flash(_("U bent uitgelogd."))
    return redirect(url_for("publication.home"))


@bp.get("/uitnodiging/<token>")
@rule("public")
@limiter.limit(ratelimit.INVITATION)
def invitation(token: str):
    if services.valid_invitation(token) is None:
        return render_template("auth/invitation_invalid.html"), 404
    return render_template("auth/invitation.html", form=ContinueForm())


@bp.post("/uitnodiging/<token>")
@rule("public")
@limiter.limit(ratelimit.INVITATION)
def invitation_post(token: str):
    form = ContinueForm()
    if not form.validate_on_submit():
        abort(400)
    user = services.redeem_invitation(token)
    if user is None:
        db.session.rollback()
        return render_template("auth/invitation_invalid.html"), 404
    log_in(user)
    db.session.commit()
    return redirect(_resident_landing(user))


def _resident_landing(user) -> str:
    """A new member first accepts the house rules (where there are any), then their committees."""
    from committee.panel.services import seat_to_accept

    seat = seat_to_accept(user)
    if seat is not None:
        return url_for("panel.accept", procurement_id=seat.procurement_id)
    return url_for("scoring.home")


@bp.get("/code")
@rule("public")
def short_code():
    return render_template("auth/short_code.html", form=ShortCodeForm())


@bp.post("/code")
@rule("public")
@limiter.limit(lambda: current_app.config["RATE_LIMIT_CODE"])
def short_code_post():
    """The code from a printed letter: the same single-use login as the letter's link."""
    form = ShortCodeForm()
    if form.validate_on_submit():
        user = services.redeem_short_code(form.code.data)
        if user is not None:
            log_in(user)
            db.session.commit()
            return redirect(_resident_landing(user))
        db.session.rollback()
        form.code.errors.append(
            _(
                "Deze code werkt niet (meer). Kijk of u hem goed heeft "
                "overgetypt, of vraag de gemeente om een nieuwe brief."
            )
        )
    return render_template("auth/short_code.html", form=form), 422


@bp.get("/aanbieder/registreren")
@rule("public")
def register():
    return render_template("auth/register.html", form=BidderRegistrationForm())


@bp.post("/aanbieder/registreren")
@rule("public")
@limiter.limit(ratelimit.PUBLIC_FORM)
def register_post():
    """Always the same answer: "look in your mail". A new address gets a link that finishes the
    registration; a known one gets a message that someone tried (so nobody learns who has an
    account, and the owner hears of it)."""
    form = BidderRegistrationForm()
    if not form.validate_on_submit():
        return render_template("auth/register.html", form=form), 422
    details = {
        "organisation": form.organisation.data,
        "kind": form.kind.data,
        "lead_name": form.lead_name.data or None,
        "kvk_number": form.kvk_number.data or None,
        "website": form.website.data or None,
        "name": form.name.data,
    }
    token = services.request_registration(email=form.email.data, password=form.password.data, details=details)
    base = current_app.config["PUBLIC_BASE_URL"].rstrip("/")
    if token is None:
        send_mail(
            to=services.normalise_email(form.email.data),
            subject=_("Iemand wilde zich registreren met uw e-mailadres"),
            body=render_template("auth/registration_known.txt", login=base + url_for("auth.login")),
        )
    else:
        send_mail(
            to=services.normalise_email(form.email.data),
            subject=_("Maak uw registratie bij WijKiezen af"),
            body=render_template(
                "auth/registration_confirm.txt",
                name=details["name"],
                link=base + url_for("auth.confirm_registration", token=token),
                hours=services.REGISTRATION_HOURS,
            ),
        )
    db.session.commit()
    return redirect(url_for("auth.registration_sent"))


@bp.get("/aanbieder/registreren/verstuurd")
@rule("public")
def registration_sent():
    return render_template("auth/registration_sent.html")


@bp.get("/aanbieder/registreren/bevestigen/<token>")
@rule("public")
@limiter.limit(ratelimit.INVITATION)
def confirm_registration(token: str):
    """The link from the mail only asks (mail scanners open links); the button finishes."""
    if services.valid_registration(token) is None:
        return render_template("auth/registration_invalid.html"), 404
    return render_template("auth/registration_confirm.html", form=ContinueForm())


@bp.post("/aanbieder/registreren/bevestigen/<token>")
@rule("public")
@limiter.limit(ratelimit.INVITATION)
def confirm_registration_post(token: str):
    if not ContinueForm().validate_on_submit():
        abort(400)
    details = services.redeem_registration(token)
    if details is None:
        db.session.rollback()
        return render_template("auth/registration_invalid.html"), 404
    organisation = offer_services.create_organisation(
        name=details["organisation"],
        kvk_number=details.get("kvk_number"),
        website=details.get("website"),
        kind=OrganisationKind(details["kind"]),
        lead_name=details.get("lead_name"),
    )
    user = services.create_user(
        role=Role.BIDDER,
        name=details["name"],
        email=details["email"],
        password_hash=details["password_hash"],
        organisation=organisation,
    )
    log_in(user)
    db.session.commit()
    flash(_("Uw organisatie is geregistreerd."))
    return redirect(url_for("offers.dashboard"))
