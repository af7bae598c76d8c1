"""Security headers on every response, through the ``secure`` library; requests with NUL bytes
refused."""

import secure
from flask import abort, request


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
        return response
