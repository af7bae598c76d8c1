"""Security headers on every response, through the ``secure`` library."""

import secure


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
        return response
