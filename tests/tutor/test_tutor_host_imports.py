"""
What the Tutor plugin imports from this distribution stays free of Django, so that it loads on a Tutor host
(the full check, in Tutor's own virtualenvs, runs with ``-m tutor``; this one runs with the rest of the suite).
"""

import subprocess
import sys

IMPORTS_DJANGO = (
    "import sys, learner_mgmt_plugin, learner_mgmt_plugin.tutor; "
    "print(sorted(name for name in sys.modules if name.partition('.')[0] == 'django'))"
)


def test_package_and_tutor_package_import_no_django():
    """
    ``learner_mgmt_plugin`` (the plugin reads ``__version__`` there) and ``learner_mgmt_plugin.tutor`` load
    without Django, in a fresh interpreter that has Django installed.
    """
    result = subprocess.run(
        [sys.executable, "-c", IMPORTS_DJANGO], capture_output=True, text=True, timeout=60, check=True
    )
    assert result.stdout.strip() == "[]"
