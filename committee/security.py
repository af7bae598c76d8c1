"""Security headers on every response (through the ``secure`` library), no caching of pages
shown to a logged-in person, and the one check for where we may redirect to."""

from urllib.parse import urlsplit

import secure
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


def init_app(app) -> None:
    headers = build_headers(app.config["PRODUCTION"])

    @app.after_request
    def set_security_headers(response):
        headers.set_headers(response)
        # Pages for a logged-in person (offers, scores, names) must not stay in the browser's
        # or a proxy's cache after logout, on a shared phone for instance.
        if "Cache-Control" not in response.headers and current_user.is_authenticated:
            response.headers["Cache-Control"] = "no-store"
        return response
