"""
Helpers shared by the test suites (``tests/`` is not a package, so shared code lives here).
"""
