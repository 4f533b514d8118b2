"""
CSRF: every write of the REST API (POST, PATCH, DELETE), sent by the course team signed in with the
LMS session, is refused with 403 and changes nothing unless it carries the CSRF token; with the token
it goes through. Reads need no token (``tests/rest_api/test_access.py``). The writes are those of the
authorization matrix, which checks that it covers every operation of the served schema.
"""

import pytest
from rest_framework.test import APIClient

from test_utils.snapshots import snapshot
from test_utils.world import COURSE_ENDPOINTS, rolled_back

pytestmark = [pytest.mark.figure("CSRF"), pytest.mark.django_db]

WRITES = [endpoint for endpoint in COURSE_ENDPOINTS if endpoint.method != "get"]
TOKEN = "k" * 32
OTHER_TOKEN = "z" * 32

# How a forged request may go: no token at all, the cookie alone (a cross-site form cannot set the
# header), or a header that does not match the cookie.
FORGERIES = {
    "no token": ({}, {}),
    "cookie without the header": ({"csrftoken": TOKEN}, {}),
    "header not matching the cookie": ({"csrftoken": TOKEN}, {"HTTP_X_CSRFTOKEN": OTHER_TOKEN}),
    "header without the cookie": ({}, {"HTTP_X_CSRFTOKEN": TOKEN}),
}


def signed_in(user, cookies):
    # A real session cookie, as the LMS sets it at sign-in (force_login saves a session; no password).
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(user)
    for name, value in cookies.items():
        client.cookies[name] = value
    return client


@pytest.mark.parametrize("endpoint", WRITES, ids=lambda endpoint: endpoint.name)
def test_a_session_write_without_the_csrf_token_is_refused_and_changes_nothing(world, endpoint, cases):
    user = world.users["platform_admin"]
    for forgery, (cookies, headers) in FORGERIES.items():
        with rolled_back():
            before = snapshot(with_host=True)
            response = endpoint.call(signed_in(user, cookies), world.course, world.ids, **headers)
            cases.tried()
            assert response.status_code == 403, (forgery, response.content)
            assert "CSRF" in response.json()["message"], forgery
            assert snapshot(with_host=True) == before, forgery


@pytest.mark.parametrize("endpoint", WRITES, ids=lambda endpoint: endpoint.name)
def test_with_the_token_the_same_write_goes_through(world, endpoint, cases):
    client = signed_in(world.users["platform_admin"], {"csrftoken": TOKEN})
    with rolled_back():
        before = snapshot(with_host=True)
        response = endpoint.call(client, world.course, world.ids, HTTP_X_CSRFTOKEN=TOKEN)
        cases.tried()
        assert response.status_code == endpoint.success, response.content
        if endpoint.changes:
            assert snapshot(with_host=True) != before, "let through, yet nothing changed"
