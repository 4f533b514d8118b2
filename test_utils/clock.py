"""
The clock in tests: values the server dates itself, compared without racing midnight.
"""

import contextlib

from django.utils import timezone


@contextlib.contextmanager
def local_dates():
    """
    The local dates a block of code ran on: one, or two when it ran across midnight. For a value the
    server dates itself (a file named after the day, the page's today), which a test cannot compute
    beforehand without racing the clock::

        with local_dates() as days:
            response = client.get(...)
        assert response["name"] in {f"List_{day:%Y-%m-%d}.csv" for day in days}
    """
    days = {timezone.localdate()}
    yield days
    days.add(timezone.localdate())
