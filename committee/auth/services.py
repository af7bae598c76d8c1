"""Passwords, login sessions and invitation links."""

from __future__ import annotations

import enum
import functools
import hashlib
import secrets
import time
from datetime import timedelta

import pyotp
import sqlalchemy as sa
from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from sqlalchemy.orm.attributes import set_committed_value

from committee.auth.models import Invitation, LoginSession, PendingRegistration, Role, User
from committee.extensions import db
from committee.timeutil import utcnow

_hasher = PasswordHasher()
# Verified when the e-mail address is unknown, so a miss takes as long as a hit.
_DUMMY_HASH = _hasher.hash("not a real password")


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def hash_password(password: str) -> str:
    return _hasher.hash(password)


def normalise_email(email: str) -> str:
    return email.strip().lower()


def authenticate(email: str, password: str) -> User | None:
    """The user with this e-mail and password, if both match and the user may log in by password."""
    user = db.session.scalar(sa.select(User).where(User.email == normalise_email(email)))
    stored = user.password_hash if user and user.password_hash else _DUMMY_HASH
    try:
        _hasher.verify(stored, password)
    except (VerificationError, InvalidHashError):
        return None
    if user is None or user.role == Role.RESIDENT or not user.password_hash:
        return None
    return user


def create_user(
    *,
    role: Role,
    name: str,
    email: str | None = None,
    password: str | None = None,
    password_hash: str | None = None,
    organisation=None,
) -> User:
    user = User(
        role=role,
        name=name.strip(),
        email=normalise_email(email) if email else None,
        password_hash=hash_password(password) if password else password_hash,
        organisation=organisation,
    )
    db.session.add(user)
    db.session.flush()
    return user


def email_taken(email: str) -> bool:
    return (
        db.session.scalar(
            sa.select(sa.func.count()).select_from(User).where(User.email == normalise_email(email))
        )
        > 0
    )


# How long the link that finishes a bidder's registration works.
REGISTRATION_HOURS = 48


def request_registration(*, email: str, password: str, details: dict) -> str | None:
    """A bidder asks to register. Returns the token for the link to mail to the address, or None
    when the address already has an account (mail its owner that someone tried).

    Both ways hash the password and answer the same, so the answer does not tell whether the
    address is known; nothing is created, and the address is not reserved, until the link is used.
    """
    password_hash = hash_password(password)
    email = normalise_email(email)
    # Registrations nobody finished in time are kept no longer than that.
    db.session.execute(sa.delete(PendingRegistration).where(PendingRegistration.expires_at <= utcnow()))
    if email_taken(email):
        return None
    token = secrets.token_urlsafe(32)
    db.session.add(
        PendingRegistration(
            token_hash=token_hash(token),
            email=email,
            details=details,
            password_hash=password_hash,
            expires_at=utcnow() + timedelta(hours=REGISTRATION_HOURS),
        )
    )
    db.session.flush()
    return token


def valid_registration(token: str) -> PendingRegistration | None:
    return db.session.scalar(
        sa.select(PendingRegistration).where(
            PendingRegistration.token_hash == token_hash(token),
            PendingRegistration.expires_at > utcnow(),
        )
    )


def redeem_registration(token: str) -> dict | None:
    """Use the registration link once: what the form asked, with the address and the password
    hash; None if it is unknown, used, expired, or if the address
    got an account in the meantime (another link for it was used first)."""
    pending = valid_registration(token)
    if pending is None or email_taken(pending.email):
        return None
    details = {"email": pending.email, "password_hash": pending.password_hash, **pending.details}
    # Deleted as it is used (a conditional DELETE, so two taps cannot both use it): the
    # password hash and the details live on only in the new account.
    result = db.session.execute(
        sa.delete(PendingRegistration)
        .where(PendingRegistration.id == pending.id)
        .execution_options(synchronize_session=False)
    )
    db.session.expunge(pending)
    return details if result.rowcount == 1 else None


def start_login_session(user: User) -> str:
    """Record a new login and return its token, to be kept in the signed session cookie."""
    token = secrets.token_urlsafe(32)
    db.session.add(LoginSession(token_hash=token_hash(token), user_id=user.id))
    db.session.flush()
    return token


def end_login_session(token: str | None) -> None:
    if not token:
        return
    db.session.execute(
        sa.update(LoginSession)
        .where(LoginSession.token_hash == token_hash(token), LoginSession.ended_at.is_(None))
        .values(ended_at=utcnow())
    )


def user_for_session(user_id: str, token: str | None) -> User | None:
    """The logged-in user, only while their login session has not been ended and is younger than
    ``PERMANENT_SESSION_LIFETIME`` (a limit kept on the server, whatever the cookie says).

    Asked on every request of a logged-in person, so the query is built once."""
    if not token or not user_id.isdigit():
        return None
    oldest = utcnow() - current_app.permanent_session_lifetime
    return db.session.scalar(
        _session_user_query(), {"user_id": int(user_id), "token_hash": token_hash(token), "oldest": oldest}
    )


@functools.cache
def _session_user_query() -> sa.Select:
    return (
        sa.select(User)
        .join(LoginSession, LoginSession.user_id == User.id)
        .where(
            User.id == sa.bindparam("user_id"),
            LoginSession.token_hash == sa.bindparam("token_hash"),
            LoginSession.ended_at.is_(None),
            LoginSession.created_at >= sa.bindparam("oldest"),
        )
    )


def create_invitation(user: User, *, days: int) -> str:
    """Issue a new single-use link for a resident; earlier unused links stop working."""
    return _new_invitation(user, days=days, short_code=None)


# Letters and digits that cannot be mistaken for each other (no 0/O, 1/I/L).
SHORT_CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
SHORT_CODE_LENGTH = 8


def normalise_short_code(code: str) -> str:
    return "".join(ch for ch in code.upper() if ch.isalnum())


def format_short_code(code: str) -> str:
    return f"{code[:4]}-{code[4:]}"


def create_invitation_with_code(user: User, *, days: int) -> tuple[str, str]:
    """A new single-use link plus a short code for the same login, for a printed letter.

    Returns (token, short code as printed). Both are stored only as hashes; either one logs in
    once, and using one uses the other.
    """
    code = "".join(secrets.choice(SHORT_CODE_ALPHABET) for _ in range(SHORT_CODE_LENGTH))
    return _new_invitation(user, days=days, short_code=code), format_short_code(code)


def _new_invitation(user: User, *, days: int, short_code: str | None) -> str:
    now = utcnow()
    db.session.execute(
        sa.update(Invitation)
        .where(Invitation.user_id == user.id, Invitation.used_at.is_(None))
        .values(expires_at=now)
    )
    token = secrets.token_urlsafe(32)
    db.session.add(
        Invitation(
            token_hash=token_hash(token),
            user_id=user.id,
            expires_at=now + timedelta(days=days),
            short_code_hash=token_hash(short_code) if short_code else None,
        )
    )
    db.session.flush()
    return token


def revoke_access(user: User) -> None:
    """Every unused link and code of this user stops working, and every login of theirs ends."""
    now = utcnow()
    db.session.execute(
        sa.update(Invitation)
        .where(Invitation.user_id == user.id, Invitation.used_at.is_(None))
        .values(expires_at=now)
    )
    db.session.execute(
        sa.update(LoginSession)
        .where(LoginSession.user_id == user.id, LoginSession.ended_at.is_(None))
        .values(ended_at=now)
    )


def valid_invitation(token: str) -> Invitation | None:
    return db.session.scalar(
        sa.select(Invitation).where(
            Invitation.token_hash == token_hash(token),
            Invitation.used_at.is_(None),
            Invitation.expires_at > utcnow(),
        )
    )


def redeem_invitation(token: str) -> User | None:
    """Use the link once: the resident it belongs to, or None if it is unknown, used or expired."""
    return _redeem(valid_invitation(token))


def redeem_short_code(code: str) -> User | None:
    """Use the short code from a letter once, exactly like its link."""
    normalised = normalise_short_code(code)
    if len(normalised) != SHORT_CODE_LENGTH:
        return None
    invitation = db.session.scalar(
        sa.select(Invitation).where(
            Invitation.short_code_hash == token_hash(normalised),
            Invitation.used_at.is_(None),
            Invitation.expires_at > utcnow(),
        )
    )
    return _redeem(invitation)


def _redeem(invitation: Invitation | None) -> User | None:
    if invitation is None:
        return None
    # Conditional update, so two simultaneous taps cannot both redeem it.
    result = db.session.execute(
        sa.update(Invitation)
        .where(Invitation.id == invitation.id, Invitation.used_at.is_(None))
        .values(used_at=utcnow())
    )
    if result.rowcount != 1:
        return None
    return invitation.user


TOTP_ISSUER = "WijKiezen"


def needs_second_factor(user: User, *, required_for_moderators: bool) -> bool:
    """Moderators who set up a second factor always need it; in production all moderators do."""
    return user.is_moderator and (bool(user.totp_secret) or required_for_moderators)


def new_totp_secret() -> str:
    return pyotp.random_base32()


def totp_uri(user: User, secret: str) -> str:
    return pyotp.TOTP(secret).provisioning_uri(name=user.email or str(user.id), issuer_name=TOTP_ISSUER)


def _accepted_step(secret: str, code: str, last_step: int | None, now: float | None = None) -> int | None:
    """The time step the code belongs to (this one or one either side), if it was not used before."""
    code = "".join(code.split())
    if not (code.isdigit() and len(code) == 6):
        return None
    totp = pyotp.TOTP(secret)
    moment = time.time() if now is None else now
    step = int(moment // totp.interval)
    for candidate in (step, step - 1, step + 1):
        if last_step is not None and candidate <= last_step:
            continue
        if secrets.compare_digest(totp.generate_otp(candidate), code):
            return candidate
    return None


class CodeCheck(enum.StrEnum):
    OK = "ok"
    WRONG = "wrong"
    USED = "used"


def check_second_factor(user: User, code: str) -> CodeCheck:
    """Check a moderator's code; each code works once, and no code older than the last one used.

    The check and the store are one conditional UPDATE (``WHERE last step < this step``), so of
    two logins sending the same code at the same moment only one gets in."""
    if not user.totp_secret:
        return CodeCheck.WRONG
    step = _accepted_step(user.totp_secret, code, None)
    if step is None:
        return CodeCheck.WRONG
    if user.totp_last_step is not None and step <= user.totp_last_step:
        return CodeCheck.USED
    result = db.session.execute(
        sa.update(User)
        .where(
            User.id == user.id,
            sa.or_(User.totp_last_step.is_(None), User.totp_last_step < step),
        )
        .values(totp_last_step=step)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:
        return CodeCheck.USED
    set_committed_value(user, "totp_last_step", step)
    return CodeCheck.OK


def verify_second_factor(user: User, code: str) -> bool:
    return check_second_factor(user, code) == CodeCheck.OK


def enrol_second_factor(user: User, *, secret: str, code: str) -> bool:
    """Store the secret once the moderator proves their app produces its codes."""
    step = _accepted_step(secret, code, None)
    if step is None:
        return False
    user.totp_secret, user.totp_last_step = secret, step
    db.session.flush()
    return True
