"""
What an operator's ``tutor plugins enable mfe learner-mgmt`` and ``tutor config save`` give, on Tutor 21 (Ulmo)
and 22 (Verawood): the image installs the Django app, ``launch`` migrates it, and the learner dashboard MFE's
``env.config.jsx`` defines the plugin's components and puts them in their slots.
"""

import json
import os
import re
from pathlib import Path

import pytest

from learner_mgmt_plugin import __version__

pytestmark = pytest.mark.tutor

REPO = Path(__file__).resolve().parents[2]
ENV_CONFIG = REPO / "tests" / "tutor" / "env_config.mjs"
JSX = (REPO / "learner_mgmt_plugin" / "tutor" / "learner_dashboard.jsx").read_text(encoding="utf-8")
PIP_INSTALL = "RUN --mount=type=cache,target=/openedx/.cache/pip,sharing=shared $PIP_COMMAND install '{spec}'"
MIGRATE = "./manage.py lms migrate learner_mgmt_plugin"
LEARNER_DASHBOARD_BLOCK = "if (process.env.APP_ID == 'learner-dashboard') {"
# The learner dashboard's slots as frontend-plugin-framework receives them (functions show as "function").
SLOTS = {
    "org.openedx.frontend.learner_dashboard.course_list.v1": {
        "keepDefault": True,
        "plugins": [{"op": "wrap", "widgetId": "default_contents", "wrapper": "function"}],
    },
    "org.openedx.frontend.learner_dashboard.course_card_banner.v1": {
        "keepDefault": True,
        "plugins": [
            {
                "op": "insert",
                "widget": {
                    "id": "learner_mgmt_badge",
                    "type": "DIRECT_PLUGIN",
                    "priority": 10,
                    "RenderWidget": "function",
                },
            }
        ],
    },
    "org.openedx.frontend.learner_dashboard.widget_sidebar.v1": {
        "keepDefault": True,
        "plugins": [
            {
                "op": "insert",
                "widget": {
                    "id": "learner_mgmt_sidebar",
                    "type": "DIRECT_PLUGIN",
                    "priority": 10,
                    "RenderWidget": "function",
                },
            }
        ],
    },
}
# Stands in for docker: records each call's arguments (a JSON list a line) and reports no compose project running.
FAKE_DOCKER = """#!{python}
import json, os, sys

with open(os.environ["FAKE_DOCKER_LOG"], "a", encoding="utf-8") as log:
    log.write(json.dumps(sys.argv[1:]) + "\\n")
if "ls" in sys.argv:
    print("[]")
"""
# An operator's plugin switching to tutor-mfe 22's frontend-base learner dashboard.
FRONTEND_BASE_DASHBOARD = """
from tutormfe.hooks import FRONTEND_APPS


@FRONTEND_APPS.add()
def _enable_learner_dashboard(apps):
    apps["learner-dashboard"]["enabled"] = True
    return apps
"""
FRONTEND_BASE_WARNING = "learner-mgmt: the frontend-base learner dashboard is enabled"


class Project:
    """
    A Tutor project (``TUTOR_ROOT``) with the mfe and learner-mgmt plugins enabled and its environment saved.
    """

    def __init__(self, tutor, root, *settings):
        self.tutor = tutor
        self.root = root
        root.mkdir(parents=True, exist_ok=True)
        tutor("plugins", "enable", "mfe", "learner-mgmt", root=root)
        self.saved = self.save(*settings)

    def save(self, *settings):
        """
        ``tutor config save`` with ``--set`` for each ``NAME=value`` of ``settings``; what it printed.
        """
        result = self.tutor("config", "save", *(f"--set={setting}" for setting in settings), root=self.root)
        return result.stdout + result.stderr

    def read(self, path):
        """
        The rendered file at ``path`` in the project's ``env/``.
        """
        return (self.root / "env" / path).read_text(encoding="utf-8")

    def init_jobs(self, workdir, *options):
        """
        The ``(job container, script)`` pairs that ``tutor local do init <options>`` runs (the jobs of ``launch``
        after the containers start), as a stand-in ``docker`` in ``workdir`` records them.
        """
        (workdir / "bin").mkdir()
        docker = workdir / "bin" / "docker"
        docker.write_text(FAKE_DOCKER.format(python=self.tutor.bin / "python"), encoding="utf-8")
        docker.chmod(0o755)
        log = workdir / "docker.log"
        log.touch()
        path = f"{workdir / 'bin'}{os.pathsep}{os.environ['PATH']}"
        self.tutor("local", "do", "init", *options, root=self.root, env={"PATH": path, "FAKE_DOCKER_LOG": str(log)})
        calls = [json.loads(line) for line in log.read_text(encoding="utf-8").splitlines()]
        # docker compose ... run [--rm -T] <service>-job sh -e -c <script>
        return [(call[-5], call[-1]) for call in calls if "run" in call]


@pytest.fixture(scope="module")
def project(tutor, tmp_path_factory):
    """
    A project with the default configuration, shared by the tests that only read it.
    """
    return Project(tutor, tmp_path_factory.mktemp(f"tutor{tutor.major}-project"))


def test_tutor_runs_the_plugin_without_django(tutor, project):
    listed = tutor("plugins", "list", root=project.root).stdout
    assert re.search(rf"^learner-mgmt\s.*enabled\s+{re.escape(__version__)}$", listed, re.MULTILINE), listed
    finds = "import importlib.util; print(importlib.util.find_spec('django'))"
    assert tutor.python(finds, root=project.root).stdout.strip() == "None"


def test_image_installs_this_release_after_the_platform_requirements(project):
    dockerfile = project.read("build/openedx/Dockerfile")
    stage = dockerfile.split("FROM python AS python-requirements", 1)[1].split("\nFROM ", 1)[0]
    install = PIP_INSTALL.format(spec=f"learner-mgmt-plugin=={__version__}")
    assert install in stage
    assert stage.index(install) > stage.index("requirements/edx/base.txt")


def test_operator_chooses_what_the_image_installs(tutor, tmp_path):
    fork = "git+https://github.com/example/learner-mgmt-plugin.git@v0.1.0-fix"
    dockerfile = Project(tutor, tmp_path, f"LEARNER_MGMT_PIP_SPEC={fork}").read("build/openedx/Dockerfile")
    assert PIP_INSTALL.format(spec=fork) in dockerfile
    assert f"learner-mgmt-plugin=={__version__}" not in dockerfile


def test_mounted_checkout_is_installed_over_the_release(tutor, tmp_path):
    checkout = tmp_path / "src" / "learner-mgmt-plugin"
    checkout.mkdir(parents=True)
    project = Project(tutor, tmp_path / "project")
    tutor("mounts", "add", checkout, root=project.root)
    dockerfile = project.read("build/openedx/Dockerfile")
    editable = 'RUN $PIP_COMMAND install -e "/mnt/learner-mgmt-plugin"'
    assert "FROM scratch AS mnt-learner-mgmt-plugin" in dockerfile
    assert dockerfile.index(editable) > dockerfile.index(PIP_INSTALL.format(spec=f"learner-mgmt-plugin=={__version__}"))
    assert f"{checkout}:/mnt/learner-mgmt-plugin" in project.read("local/docker-compose.yml")


def test_launch_migrates_the_plugin_after_the_platform(project, tmp_path):
    jobs = project.init_jobs(tmp_path)
    (platform_init,) = [
        index for index, (_, script) in enumerate(jobs) if re.search(r"^\./manage\.py lms migrate$", script, re.M)
    ]
    assert jobs.index(("lms-job", MIGRATE)) > platform_init


def test_plugin_init_alone_migrates_the_plugin(project, tmp_path):
    assert project.init_jobs(tmp_path, "--limit", "learner-mgmt") == [("lms-job", MIGRATE)]


def test_learner_dashboard_block_defines_the_components_and_fills_the_slots(project):
    env_config = project.read("plugins/mfe/build/mfe/env.config.jsx")
    block = env_config.index(LEARNER_DASHBOARD_BLOCK)
    next_block = env_config.index("if (process.env.APP_ID == ", block + 1)
    assert env_config.count(JSX) == 1
    assert block < env_config.index(JSX) < next_block
    for slot in SLOTS:
        assert env_config.index(JSX) < env_config.index(f"addPlugins(config, '{slot}'") < next_block


def test_learner_dashboard_builds_with_its_slots_and_only_it(project, esbuild_home):
    env_config = project.root / "env" / "plugins" / "mfe" / "build" / "mfe" / "env.config.jsx"
    built = project.tutor.run(
        "node", ENV_CONFIG, esbuild_home, env_config, "learner-dashboard", "learning", root=project.root
    )
    configs = json.loads(built.stdout)
    assert configs["learner-dashboard"] == {"pluginSlots": SLOTS, "errors": []}
    assert configs["learning"] == {"pluginSlots": {}, "errors": []}


def test_jinja_markup_in_the_jsx_reaches_env_config_as_written(tutor, tmp_path):
    jsx = "const Tag = ({ label }) => <span style={{ marginLeft: 4 }}>{label} {'{#'} {'{%'}</span>;\n"
    renders = (
        "import sys; from tutor import env; from learner_mgmt_plugin.tutor.plugin import verbatim; "
        "sys.stdout.write(env.render_str({}, verbatim(sys.stdin.read())))"
    )
    assert tutor.python(renders, root=tmp_path, input_text=jsx).stdout == jsx


@pytest.mark.parametrize("tutor", ["22"], indirect=True)
def test_frontend_base_learner_dashboard_is_reported_unsupported(tutor, tmp_path):
    project = Project(tutor, tmp_path)
    assert FRONTEND_BASE_WARNING not in project.saved
    (tmp_path / "plugins").mkdir(exist_ok=True)
    (tmp_path / "plugins" / "frontend_base_dashboard.py").write_text(FRONTEND_BASE_DASHBOARD, encoding="utf-8")
    tutor("plugins", "enable", "frontend_base_dashboard", root=tmp_path)
    assert FRONTEND_BASE_WARNING in project.save()
