"""
Browser tests of the Learner Management page: the development LMS served by a live server, driven
in Debian's Chromium (``/usr/bin/chromium``) by Playwright's sync API; no browser is downloaded.

Data is committed (``transactional_db``) so that the live server's thread sees it. Screenshots go to
``SCREENSHOTS_DIR`` (default ``var/screenshots/``); ``make screenshots`` writes the README's into
``docs/screenshots/``.
"""

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from test_utils.browser import World
from test_utils.chromium import launched_chromium

REPO = Path(__file__).resolve().parents[2]
SCREENSHOTS = REPO / os.environ.get("SCREENSHOTS_DIR", "var/screenshots")
VIEWPORT = {"width": 1280, "height": 860}
# How long a step may take before an expectation fails (ms): long enough for a loaded CI machine.
TIMEOUT_MS = 10_000


@pytest.fixture(scope="module")
def browser():
    """
    Chromium, for the tests of a module (no longer: see ``launched_chromium``).
    """
    with launched_chromium("Browser tests") as chromium:
        yield chromium


@pytest.fixture
def context_options():
    """
    What a test's browser differs in from the desktop one (``viewport``, ``timezone_id``, ...): a
    module or a test (by parametrizing it) overrides this.
    """
    return {}


@pytest.fixture
def page(browser, live_server, transactional_db, settings, context_options):  # pylint: disable=unused-argument
    """
    A fresh browser page on the live development LMS (its own cookies, and the LMS's absolute links
    pointing at it), failing on any script error.
    """
    settings.LMS_ROOT_URL = live_server.url
    options = {"viewport": VIEWPORT, "base_url": live_server.url, "accept_downloads": True, **context_options}
    context = browser.new_context(**options)
    context.set_default_timeout(TIMEOUT_MS)
    tab = context.new_page()
    errors = []
    tab.on("pageerror", lambda error: errors.append(error))
    yield tab
    context.close()
    assert not errors, f"Script errors on the page: {errors}"


@pytest.fixture
def sign_in(page, live_server):
    """
    ``sign_in(user)``: give the page a session of ``user``, as signing in on the LMS would.
    """

    def sign(user):
        client = Client()
        client.force_login(user)
        page.context.add_cookies(
            [
                {
                    "name": settings.SESSION_COOKIE_NAME,
                    "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                    "url": live_server.url,
                }
            ]
        )

    return sign


@pytest.fixture
def screenshot(page):
    """
    ``screenshot(name, around=None, clip=None)``: save a PNG of the page's viewport in SCREENSHOTS, or
    of the part ``around`` a locator (with a margin, to show what is behind it),
    or of the ``clip`` rectangle.
    """

    def save(name, around=None, margin=24, clip=None):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        options = {"clip": clip} if clip else {}
        if around is not None:
            box = around.bounding_box()
            options["clip"] = {
                "x": max(0, box["x"] - margin),
                "y": max(0, box["y"] - margin),
                "width": box["width"] + 2 * margin,
                "height": box["height"] + 2 * margin,
            }
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), animations="disabled", caret="hide", **options)

    return save


@pytest.fixture
def world(transactional_db):  # pylint: disable=unused-argument
    """
    The two demo courses, their team and twelve learners, not yet assigned.
    """
    return World()


@pytest.fixture
def open_tab(page):
    """
    ``open_tab(course_key)``: the course's instructor dashboard on its Learner Management tab, with
    the learner list loaded.
    """

    def open_(course_key):
        page.goto(f"/courses/{course_key}/instructor/#learner_mgmt")
        page.locator("[data-lm=table][aria-busy=false]").wait_for()
        return page

    return open_


@pytest.fixture
def open_as(sign_in, open_tab):
    """
    ``open_as(user, course_key)``: sign in as ``user`` and open the course's Learner Management tab.
    """

    def open_(user, course_key):
        sign_in(user)
        return open_tab(course_key)

    return open_


@pytest.fixture
def self_paced(world, open_as):
    """
    The self-paced course's tab, signed in as course staff, with its learners of every status.
    """
    world.self_paced_learners()
    return open_as(world.staff, world.self_paced)


@pytest.fixture
def ilt(world, open_as):
    """
    The ILT course's tab, signed in as course staff, with its sessions and learners.
    """
    world.ilt_learners()
    return open_as(world.staff, world.ilt)
