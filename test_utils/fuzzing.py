"""
How many examples the property-based tests try: a few in the everyday suite, many in CI's fuzzing stage
(``make fuzz-test`` sets ``RELIABILITY_FUZZ_EXAMPLES``).
"""

import os


def examples(default: int) -> int:
    """
    ``RELIABILITY_FUZZ_EXAMPLES`` if set, else ``default``.
    """
    return int(os.environ.get("RELIABILITY_FUZZ_EXAMPLES", default))
