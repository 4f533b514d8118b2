"""
Debian's Chromium (``/usr/bin/chromium``) driven by Playwright's sync API, as the browser tests and the MFE
tests use it; no browser is downloaded.
"""

import contextlib
from pathlib import Path

import pytest

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"]


@contextlib.contextmanager
def launched_chromium(who: str):
    """
    Chromium while the block runs; the test skipped (saying ``who`` needs it) where it is not installed.

    Playwright's sync API keeps an asyncio loop running in the test's thread while it is started, and Django
    refuses database work wherever a loop runs. The tests' database work is synchronous all the same, so
    Django is told so, for as long as Playwright runs.
    """
    if not CHROMIUM.exists():
        pytest.skip(f"{who} need Debian's chromium at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright  # pylint: disable=import-outside-toplevel

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()
