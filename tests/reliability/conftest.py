"""
The reliability and security suite: the plugin as a hostile or unlucky world uses it.

Each test belongs to a *figure* (``@pytest.mark.figure("Authorization matrix")``): at the end of the
run pytest prints, per figure, how many cases were tried and how many failed, with any measurement a
test noted (a p95, a count of 5xx). A test counts as one case unless it says how many it tried
(``cases.tried(n)``: hypothesis examples, requests, rounds); a failed test counts its recorded failures,
or one.

The heaviest tests run in CI stages of their own (``.ci/run``): those marked ``crash``, ``load`` or
``schemathesis`` are skipped unless ``-m`` names their marker, e.g. ``pytest -m crash tests/reliability``.
"""

from collections import defaultdict

import pytest
from django.db import transaction
from django.test import override_settings

from test_utils.stages import skip_unless_selected
from test_utils.world import build_world

# Markers of the tests that run only when ``-m`` asks for them by name.
OWN_STAGE_MARKERS = ("crash", "load", "schemathesis")

_figures = defaultdict(lambda: {"cases": 0, "failures": 0, "notes": {}, "sums": defaultdict(int)})
_CASES = pytest.StashKey[dict]()


def pytest_collection_modifyitems(config, items):
    skip_unless_selected(config, items, OWN_STAGE_MARKERS, "tests/reliability")


def _new_record():
    return {"cases": 0, "failures": 0, "notes": {}, "sums": defaultdict(int)}


class Cases:
    """
    What a test tried: ``tried(n)`` cases, ``failed(n)`` of them, ``note(name, value)`` a measurement,
    ``add(name, n)`` to a count summed over the figure's tests.
    """

    def __init__(self, record):
        self._record = record

    def tried(self, count=1):
        self._record["cases"] += count

    def failed(self, count=1):
        self._record["failures"] += count

    def note(self, name, value):
        self._record["notes"][name] = value

    def add(self, name, count):
        self._record["sums"][name] += count


@pytest.fixture
def cases(request):
    """
    Where the test records the cases it tried, for its figure.
    """
    return Cases(request.node.stash.setdefault(_CASES, _new_record()))


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    marker = item.get_closest_marker("figure")
    if marker is None or report.skipped:
        return report
    if report.when == "call" or (report.when == "setup" and report.failed):
        record = item.stash.get(_CASES, _new_record())
        figure = _figures[marker.args[0]]
        figure["cases"] += record["cases"] or 1
        figure["failures"] += max(record["failures"], 1) if report.failed else record["failures"]
        figure["notes"].update(record["notes"])
        for name, count in record["sums"].items():
            figure["sums"][name] += count
    return report


def pytest_terminal_summary(terminalreporter):
    if not _figures:
        return
    terminalreporter.section("reliability figures")
    for name, figure in sorted(_figures.items()):
        notes = "".join(f", {key}: {value}" for key, value in (figure["sums"] | figure["notes"]).items())
        terminalreporter.write_line(f"{name}: {figure['cases']} cases tried, {figure['failures']} failures{notes}")


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """
    ``test_utils.world``'s world, built once per module in a transaction that is rolled back after it
    (its files, an export's, in a temporary media root); each test's own transaction (``db``) rolls
    back to it.
    """
    with override_settings(MEDIA_ROOT=str(tmp_path_factory.mktemp("media"))):
        with django_db_blocker.unblock(), transaction.atomic():
            yield build_world()
            transaction.set_rollback(True)
