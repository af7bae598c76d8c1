"""Security headers on every response (through the ``secure`` library), no caching of pages
shown to a logged-in person, requests with NUL bytes refused, and the one check for where we
may redirect to."""

from urllib.parse import urlsplit

import secure
from flask import abort, request
from flask_login import current_user


def local_path(target: str | None, default: str) -> str:
    """``target`` if it is a path on this site, else ``default``: never a redirect elsewhere.

    Browsers drop tabs and newlines from URLs and read a backslash as a slash, so a slash, a tab,
    a slash and a host would become ``//host``, another site; any control character, whitespace
    or backslash is refused, as is anything with a scheme or host.
    """
    target = target or ""
    if (
        not target.startswith("/")
        or target.startswith("//")
        or any(ord(c) < 0x21 or c in "\\\x7f" for c in target)
    ):
        return default
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return default
    return target


def build_headers(production: bool) -> secure.Secure:
    csp = (
        secure.ContentSecurityPolicy()
        .default_src("'self'")
        .script_src("'self'")
        .style_src("'self'")
        .img_src("'self'", "data:")
        .connect_src("'self'")
        .form_action("'self'")
        .frame_ancestors("'none'")
        .base_uri("'none'")
        .object_src("'none'")
    )
    return secure.Secure(
        csp=csp,
        hsts=secure.StrictTransportSecurity().max_age(63072000).include_subdomains() if production else None,
        xfo=secure.XFrameOptions().deny(),
        xcto=secure.XContentTypeOptions().nosniff(),
        referrer=secure.ReferrerPolicy().strict_origin_when_cross_origin(),
        permissions=secure.PermissionsPolicy().geolocation().camera().microphone(),
        coop=secure.CrossOriginOpenerPolicy().same_origin(),
    )


def has_nul_byte() -> bool:
    """A NUL byte in the path, the query or a typed form field (not in uploaded files)."""
    if "\x00" in request.path:
        return True
    fields = [*request.args.lists(), *(request.form.lists() if request.method == "POST" else [])]
    return any("\x00" in key or any("\x00" in v for v in values) for key, values in fields)


def init_app(app) -> None:
    headers = build_headers(app.config["PRODUCTION"])

    @app.before_request
    def refuse_nul_bytes():
        # No text a person types holds one, and PostgreSQL cannot store it (it would end in a
        # server error): the request is refused with the Dutch 400 page.
        if has_nul_byte():
            abort(400)

    @app.after_request
    def set_security_headers(response):
        headers.set_headers(response)
        # Pages for a logged-in person (offers, scores, names) must not stay in the browser's
        # or a proxy's cache after logout, on a shared phone for instance.
        if "Cache-Control" not in response.headers and current_user.is_authenticated:
            response.headers["Cache-Control"] = "no-store"
        return response
