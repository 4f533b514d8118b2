"""
How micro-frontends (the learner dashboard MFE) sign in against the development LMS, as against the
platform:

- ``login_refresh``: frontend-platform POSTs it, with the learner's session cookie, for a JWT, which the
  LMS splits into two cookies: ``edx-jwt-cookie-header-payload``, which the MFE reads to learn who is
  signed in, and ``edx-jwt-cookie-signature``, kept from scripts (HttpOnly). edx-drf-extensions'
  ``JwtAuthCookieMiddleware`` joins them again for ``JwtAuthentication`` (``openedx/core/djangoapps/
  user_authn/cookies.py`` and ``oauth_dispatch/jwt.py`` in the platform);
- ``CorsMiddleware``: the MFE is served from another origin and calls the LMS with the learner's cookies;
  the origins of ``CORS_ORIGIN_WHITELIST`` may, as django-cors-headers lets them in the platform;
- ``LoginView``: after signing in, back to the MFE the learner came from, if its host is one of
  ``LOGIN_REDIRECT_WHITELIST``.
"""

import json
import time

import jwt
from django.conf import settings
from django.contrib.auth import views as auth_views
from django.http import HttpResponse, JsonResponse
from django.utils.cache import patch_vary_headers
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST
from edx_rest_framework_extensions.auth.jwt.constants import JWT_DELIMITER
from edx_rest_framework_extensions.auth.jwt.cookies import jwt_cookie_header_payload_name, jwt_cookie_signature_name

# The platform's default lifetime of the JWT cookies (JWT_AUTH["JWT_IN_COOKIE_EXPIRATION"]), in seconds.
DEFAULT_COOKIE_LIFETIME = 60 * 60
# The claims' version (JWT_AUTH["JWT_SUPPORTED_VERSION"]) the platform's JWTs carry.
JWT_VERSION = "1.2.0"


# Refreshing a cookie's JWT changes nothing else: the platform spares its callers a CSRF token for it.
@csrf_exempt
@require_POST
def login_refresh(request):
    """
    ``POST /login_refresh``: fresh JWT cookies for the signed-in user; 401 for anyone else.
    """
    if not request.user.is_authenticated:
        return JsonResponse("Unauthorized", status=401, safe=False)
    lifetime = settings.JWT_AUTH.get("JWT_IN_COOKIE_EXPIRATION", DEFAULT_COOKIE_LIFETIME)
    now = time.time()
    # frontend-platform reads the server's time to tell how far the browser's clock drifts.
    response = JsonResponse({"success": True, "user_id": request.user.pk, "response_epoch_seconds": now})
    header_and_payload, signature = user_jwt(request.user, lifetime).rsplit(JWT_DELIMITER, 1)
    cookie = {"max_age": lifetime, "path": "/", "secure": request.is_secure(), "samesite": "Lax"}
    response.set_cookie(jwt_cookie_header_payload_name(), header_and_payload, **cookie)
    response.set_cookie(jwt_cookie_signature_name(), signature, httponly=True, **cookie)
    return response


def user_jwt(user, lifetime) -> str:
    """
    A JWT naming ``user``, valid for ``lifetime`` seconds, signed with the LMS's private key, with the
    claims the platform puts in its cookie JWT (scopes ``user_id``, ``email``, ``profile``).
    """
    jwt_auth = settings.JWT_AUTH
    issued = int(time.time())
    profile = getattr(user, "profile", None)
    payload = {
        "iss": jwt_auth["JWT_ISSUER"],
        "aud": jwt_auth["JWT_AUDIENCE"],
        "iat": issued,
        "exp": issued + lifetime,
        "version": JWT_VERSION,
        "scopes": ["user_id", "email", "profile"],
        "filters": [],
        "is_restricted": False,
        "grant_type": "",
        "preferred_username": user.username,
        "user_id": user.pk,
        "email": user.email,
        "email_verified": user.is_active,
        "name": profile.name if profile else None,
        "given_name": user.first_name,
        "family_name": user.last_name,
        "administrator": user.is_staff,
        "superuser": user.is_superuser,
    }
    algorithm = jwt_auth["JWT_SIGNING_ALGORITHM"]
    key = jwt.PyJWK(json.loads(jwt_auth["JWT_PRIVATE_SIGNING_JWK"]), algorithm)
    return jwt.encode(payload, key.key, algorithm=algorithm)


class CorsMiddleware:
    """
    Lets the origins of ``CORS_ORIGIN_WHITELIST`` call the LMS from their pages with the user's cookies:
    answers their preflight requests and marks the responses they may read.
    """

    ALLOWED_METHODS = "DELETE, GET, OPTIONS, PATCH, POST, PUT"
    # django-cors-headers' default headers, and the one frontend-platform adds to its API calls.
    ALLOWED_HEADERS = "accept, authorization, content-type, use-jwt-cookie, user-agent, x-csrftoken, x-requested-with"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        origin = request.headers.get("Origin")
        if origin not in settings.CORS_ORIGIN_WHITELIST:
            return self.get_response(request)
        if request.method == "OPTIONS" and "Access-Control-Request-Method" in request.headers:
            response = HttpResponse()
            response["Access-Control-Allow-Methods"] = self.ALLOWED_METHODS
            response["Access-Control-Allow-Headers"] = self.ALLOWED_HEADERS
            response["Access-Control-Max-Age"] = "86400"
        else:
            response = self.get_response(request)
        response["Access-Control-Allow-Origin"] = origin
        response["Access-Control-Allow-Credentials"] = "true"
        patch_vary_headers(response, ("Origin",))
        return response


class LoginView(auth_views.LoginView):
    """
    The sign-in page, which may send the user back to the MFEs' hosts (``LOGIN_REDIRECT_WHITELIST``).
    """

    template_name = "devhost_lms/login.html"

    def get_success_url_allowed_hosts(self):
        return {*super().get_success_url_allowed_hosts(), *settings.LOGIN_REDIRECT_WHITELIST}
