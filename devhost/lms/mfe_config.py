"""
The micro-frontends' runtime configuration, ``GET /api/mfe_config/v1[?mfe=<APP_ID>]``, as the LMS's
``lms.djangoapps.mfe_config_api`` serves it: ``MFE_CONFIG``, then the MFE's own ``MFE_CONFIG_OVERRIDES``.
An MFE built by Tutor reads it at start-up (its ``MFE_CONFIG_API_URL``) for the LMS's addresses.

The host starts from the keys tutor-mfe's LMS settings give ``MFE_CONFIG``, pointing at ``LMS_ROOT_URL``;
settings named ``MFE_CONFIG`` and ``MFE_CONFIG_OVERRIDES`` add to them.
"""

from urllib.parse import quote

from django.conf import settings
from django.http import JsonResponse
from django.utils.html import escape
from django.views.decorators.http import require_GET


@require_GET
def mfe_config(request):
    """
    The configuration shared by every MFE, with the overrides of the one named by ``?mfe=``.
    """
    config = {**host_mfe_config(), **getattr(settings, "MFE_CONFIG", {})}
    config.update(getattr(settings, "MFE_CONFIG_OVERRIDES", {}).get(request.GET.get("mfe"), {}))
    return JsonResponse(config)


def host_mfe_config() -> dict:
    """
    The keys tutor-mfe sets, for the development LMS at ``LMS_ROOT_URL``.
    """
    lms = settings.LMS_ROOT_URL
    # The host has no theme assets: its name as the logo, a plain square as the icon.
    logo = "data:image/svg+xml," + quote(
        '<svg xmlns="http://www.w3.org/2000/svg" width="200" height="32" viewBox="0 0 200 32">'
        '<text x="0" y="23" fill="#00262b" font-family="sans-serif" font-size="18" font-weight="bold">'
        f"{escape(settings.PLATFORM_NAME)}</text></svg>"
    )
    favicon = "data:image/svg+xml," + quote(
        '<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16">'
        '<rect width="16" height="16" fill="#00262b"/></svg>'
    )
    return {
        "SITE_NAME": settings.PLATFORM_NAME,
        "LMS_BASE_URL": lms,
        "LOGIN_URL": f"{lms}{settings.LOGIN_URL}",
        "LOGOUT_URL": f"{lms}/logout/",
        "REFRESH_ACCESS_TOKEN_ENDPOINT": f"{lms}/login_refresh",
        "ACCESS_TOKEN_COOKIE_NAME": "edx-jwt-cookie-header-payload",
        "CSRF_TOKEN_API_PATH": "/csrf/api/v1/token",
        "USER_INFO_COOKIE_NAME": "user-info",
        "LANGUAGE_PREFERENCE_COOKIE_NAME": "openedx-language-preference",
        "MARKETING_SITE_BASE_URL": lms,
        # Courses are taken on the host's own course pages, not in a learning MFE.
        "LEARNING_BASE_URL": lms,
        "LOGO_URL": logo,
        "LOGO_WHITE_URL": logo,
        "LOGO_TRADEMARK_URL": logo,
        "FAVICON_URL": favicon,
    }
