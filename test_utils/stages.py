"""
Tests that run in a CI stage of their own: marked, and skipped unless ``-m`` names their marker.
"""

import re

import pytest


def skip_unless_selected(config, items, markers, where):
    """
    Skip the ``items`` marked with one of ``markers`` unless the ``-m`` expression names that marker; ``where``
    (the tests' directory) goes into the reason, as the way to run them.
    """
    selected = config.getoption("markexpr") or ""
    for item in items:
        for marker in markers:
            if item.get_closest_marker(marker) and not re.search(rf"\b{marker}\b", selected):
                item.add_marker(pytest.mark.skip(reason=f"runs in its own CI stage: pytest -m {marker} {where}"))
