"""
The Tutor plugin as Tutor itself loads and renders it, offline (no Docker), in the virtualenvs of Tutor 21 and
22 that ``test_utils.tutor_env`` keeps. esbuild, which the tests build ``env.config.jsx`` with, is kept under
``var/tutor-node/``.

Tests marked ``tutor`` are skipped unless ``-m`` names the marker: ``make tutor-test``.
"""

import json

import pytest

from test_utils.stages import skip_unless_selected
from test_utils.tutor_env import REPO, TUTOR_PYTHONS, plugin_wheel, run, tutor_venv

NODE_HOME = REPO / "var" / "tutor-node"
ESBUILD_VERSION = "0.28.2"


def pytest_collection_modifyitems(config, items):
    skip_unless_selected(config, items, ("tutor",), "tests/tutor")


class Tutor:
    """
    One Tutor release in its virtualenv, with the plugin installed.
    """

    def __init__(self, major, venv):
        self.major = major
        self.bin = venv / "bin"

    def __call__(self, *arguments, root, env=None):
        """
        ``tutor <arguments>`` on the project at ``root``.
        """
        return self.run(self.bin / "tutor", *arguments, root=root, env=env)

    def python(self, code, root, input_text=None):
        """
        ``python -c <code>`` in Tutor's virtualenv.
        """
        return self.run(self.bin / "python", "-c", code, root=root, input_text=input_text)

    def run(self, *command, root, env=None, input_text=None):
        """
        ``command`` in the project at ``root`` (its working directory), whose own plugins live in ``root/plugins``.
        """
        project = {"TUTOR_ROOT": str(root), "TUTOR_PLUGINS_ROOT": str(root / "plugins")}
        return run(*command, cwd=root, env={**project, **(env or {})}, input_text=input_text)


@pytest.fixture(scope="session")
def wheel(tmp_path_factory):
    """
    The plugin's wheel, built from this tree once a run.
    """
    return plugin_wheel(tmp_path_factory.mktemp("tutor-wheel"))


@pytest.fixture(scope="session", params=sorted(TUTOR_PYTHONS))
def tutor(request, wheel):
    """
    Tutor 21, then 22, with tutor-mfe of the same major version and this tree's plugin (reinstalled each run).
    """
    return Tutor(request.param, tutor_venv(request.param, wheel))


@pytest.fixture(scope="session")
def esbuild_home():
    """
    The directory whose ``node_modules`` holds esbuild (installed on first use).
    """
    installed = NODE_HOME / "node_modules" / "esbuild" / "package.json"
    if not installed.exists() or json.loads(installed.read_text())["version"] != ESBUILD_VERSION:
        NODE_HOME.mkdir(parents=True, exist_ok=True)
        package = f"esbuild@{ESBUILD_VERSION}"
        run("npm", "install", "--no-save", "--no-audit", "--no-fund", "--prefix", NODE_HOME, package, cwd=NODE_HOME)
    return NODE_HOME
