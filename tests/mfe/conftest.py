"""
The learner dashboard MFE of Ulmo and of Verawood, built by Tutor's recipe with this tree's Tutor plugin
(``mfe_build``: MFE source from ``LEARNER_DASHBOARD_GIT_DIR``, caches in ``var/mfe/``), served on an MFE
host (``mfe_site``) beside the development LMS's live server, and driven in Debian's Chromium
(``/usr/bin/chromium``) by Playwright, signed in with the LMS's session as a learner would be.

Tests marked ``mfe`` are skipped unless ``-m`` names the marker: ``make mfe-test``. The first run builds
each release twice (with the plugin, and without it for comparison) and takes minutes; later runs reuse the
builds while the MFE's branch, Tutor's rendering and this tree's plugin are unchanged. Screenshots go to
``SCREENSHOTS_DIR`` (default ``var/mfe/screenshots/``).
"""

import os
from urllib.parse import urlsplit

import mfe_build
import mfe_site
import pytest
from django.conf import settings as django_settings
from django.test import Client

from test_utils.chromium import launched_chromium
from test_utils.stages import skip_unless_selected

# Wide enough for the dashboard's sidebar to stand beside the course list (Paragon's xl breakpoint).
VIEWPORT = {"width": 1280, "height": 1000}
TIMEOUT_MS = 20_000
SCREENSHOTS = mfe_build.REPO / os.environ.get("SCREENSHOTS_DIR", "var/mfe/screenshots")
ASSIGNMENTS_API = "/api/learner_mgmt/v1/me/assignments/"


def pytest_collection_modifyitems(config, items):
    skip_unless_selected(config, items, ("mfe",), "tests/mfe")


@pytest.fixture(scope="session", params=mfe_build.RELEASES, ids=lambda release: release.name)
def release(request):
    """
    Each Open edX release in turn.
    """
    return request.param


@pytest.fixture(scope="session")
def builds(release):
    """
    The release's learner dashboard builds, by plugin: ``"learner-mgmt"`` and ``""`` (none).
    """
    try:
        return mfe_build.built_dashboards(release)
    except mfe_build.SourceMissing as missing:
        pytest.skip(str(missing))


@pytest.fixture(scope="session")
def browser():
    """
    Chromium, for the whole run.
    """
    with launched_chromium("MFE tests") as chromium:
        yield chromium


@pytest.fixture
def open_dashboard(builds, browser, live_server, transactional_db, settings):  # pylint: disable=unused-argument
    """
    ``open_dashboard(user, plugin="learner-mgmt")``: a ``Visit`` of the learner dashboard built with ``plugin``
    (or none) in a fresh browser signed in as ``user`` (None: signed out). The LMS lets the MFE hosts in as
    Tutor's settings do (CORS, the MFE config's ``BASE_URL``, sign-in redirects).
    """
    settings.LMS_ROOT_URL = live_server.url
    visits = []
    with (
        mfe_site.serving(builds[""], mfe_build.APP, live_server.url) as before_url,
        mfe_site.serving(builds[mfe_build.PLUGIN], mfe_build.APP, live_server.url) as with_plugin_url,
    ):
        urls = {"": before_url, mfe_build.PLUGIN: with_plugin_url}
        settings.CORS_ORIGIN_WHITELIST = list(urls.values())
        settings.LOGIN_REDIRECT_WHITELIST = [urlsplit(url).netloc for url in urls.values()]

        def open_(user, plugin=mfe_build.PLUGIN):
            settings.MFE_CONFIG = {"BASE_URL": urls[plugin]}
            visit = Visit(browser, f"{urls[plugin]}/{mfe_build.APP}/", live_server.url)
            visits.append(visit)
            if user is not None:
                visit.sign_in(user)
            return visit

        try:
            yield open_
        finally:
            for visit in visits:
                visit.close()


class Visit:
    """
    A browser's visit to the dashboard, recording the script errors it meets and its requests for the
    learner's assignments.
    """

    def __init__(self, browser, url, lms_url):
        self.url, self.lms_url = url, lms_url
        self.context = browser.new_context(viewport=VIEWPORT)
        self.context.set_default_timeout(TIMEOUT_MS)
        self.page = self.context.new_page()
        self.errors, self.assignment_requests = [], []
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))
        self.page.on("console", self._console)
        self.page.on(
            "request",
            lambda request: ASSIGNMENTS_API in request.url and self.assignment_requests.append(request.method),
        )

    def _console(self, message):
        # The browser asks the MFE host for /favicon.ico on its own; Tutor's Caddy has none to serve either.
        if message.type == "error" and not message.location.get("url", "").endswith("/favicon.ico"):
            self.errors.append(message.text)

    def sign_in(self, user):
        """
        Give the browser a session of ``user`` on the LMS, as signing in there would.
        """
        client = Client()
        client.force_login(user)
        session = client.cookies[django_settings.SESSION_COOKIE_NAME].value
        self.context.add_cookies([{"name": django_settings.SESSION_COOKIE_NAME, "value": session, "url": self.lms_url}])

    def load(self):
        """
        Open the dashboard and wait until its course list (or its empty view) shows and the page is idle.
        """
        self.page.goto(self.url)
        self.page.locator(".course-card, #no-courses-content-view").first.wait_for()
        self.page.wait_for_load_state("networkidle")
        return self.page

    def close(self):
        self.context.close()


@pytest.fixture
def screenshot():
    """
    ``screenshot(page, name)``: save a PNG of the whole page in SCREENSHOTS.
    """

    def save(page, name):
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True, animations="disabled", caret="hide")

    return save
