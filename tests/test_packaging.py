"""
The built wheel installs into a clean virtualenv and the LMS's plugin framework finds the plugin there.

This is what an operator does: ``pip install`` the package next to the LMS, which then discovers it
through the ``lms.djangoapp`` entry point (edx-django-utils). Nothing from this source tree may leak
into that check, so the wheel is built from a copy of the tree and the check runs in a fresh
virtualenv, from a directory outside the tree, with the dependencies pinned as for this Python.
"""

import json
import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

pytestmark = pytest.mark.packaging

REPO = Path(__file__).resolve().parents[1]
PACKAGE = "learner_mgmt_plugin"
PINS = REPO / "requirements" / f"py{sys.version_info.major}{sys.version_info.minor}" / "base.txt"
# Variables of the test process that would point the fresh virtualenv back at this tree.
LEAKING_ENVIRONMENT = ("DJANGO_SETTINGS_MODULE", "PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "PIP_REQUIRE_VIRTUALENV")

# Runs inside the fresh virtualenv: settings as the LMS builds them (plugin apps appended to
# INSTALLED_APPS, then each plugin's common plugin_settings), then the plugin URLs as the LMS mounts them.
# Every LMS has edx-completion, whose BlockCompletion model the plugin's default (Open edX) host adapter
# follows from ready(); the real package cannot load its URLs outside edx-platform, so a stand-in app
# (STAND_IN_COMPLETION, written next to the script) takes its place.
DISCOVER_SCRIPT = """
import json, sys, traceback, types

import django
from django.apps import apps
from django.conf import settings
from edx_django_utils.plugins import add_plugins, get_plugin_apps, get_plugin_url_patterns

report = {"plugin_apps": get_plugin_apps("lms.djangoapp")}
try:
    lms_settings = types.ModuleType("lms_settings")
    lms_settings.SECRET_KEY = "packaging-check"
    lms_settings.DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
    lms_settings.INSTALLED_APPS = [
        "django.contrib.admin",
        "django.contrib.auth",
        "django.contrib.contenttypes",
        "django.contrib.messages",
        "django.contrib.sessions",
        "django.contrib.staticfiles",
        "rest_framework",
        "user_tasks",
        "completion",
        *report["plugin_apps"],
    ]
    sys.modules["lms_settings"] = lms_settings
    add_plugins("lms_settings", "lms.djangoapp", "common")
    settings.configure(**{name: getattr(lms_settings, name) for name in dir(lms_settings) if name.isupper()})
    django.setup()
    report["package_file"] = apps.get_app_config("learner_mgmt_plugin").module.__file__
    report["settings"] = sorted(name for name in dir(settings) if name.startswith("LEARNER_MGMT_"))
    report["url_includes"] = [
        {
            "regex": str(resolver.pattern),
            "namespace": resolver.namespace,
            "urlconf": resolver.urlconf_module.__name__,
            "urls": len(resolver.url_patterns),
        }
        for resolver in get_plugin_url_patterns("lms.djangoapp")
    ]
except Exception:  # reported to the test, which shows it
    report["error"] = traceback.format_exc()
print(json.dumps(report))
"""
STAND_IN_COMPLETION = {
    "__init__.py": '"""Stand-in for edx-completion: just the model the host adapter listens to."""\n',
    "models.py": (
        "from django.db import models\n\n\n"
        "class BlockCompletion(models.Model):\n"
        "    class Meta:\n"
        '        app_label = "completion"\n'
    ),
}


def run(*command, cwd):
    """
    Run ``command`` with the test process's environment, minus what would point it at this tree.
    """
    env = {name: value for name, value in os.environ.items() if name not in LEAKING_ENVIRONMENT}
    result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=900, check=False)
    assert result.returncode == 0, f"{' '.join(map(str, command))} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


@pytest.fixture(scope="module")
def wheel(tmp_path_factory):
    """
    The wheel built from a copy of the source tree (building in place would write into the tree).
    """
    work = tmp_path_factory.mktemp("wheel")
    source = work / "source"
    shutil.copytree(
        REPO,
        source,
        ignore=shutil.ignore_patterns(".git", ".venv*", ".tox", "var", "build", "dist", "*.egg-info", "__pycache__"),
    )
    run(sys.executable, "-m", "pip", "wheel", "--no-deps", "--wheel-dir", work / "dist", source, cwd=work)
    (built,) = (work / "dist").glob("*.whl")
    return built


@pytest.fixture(scope="module")
def discovered(tmp_path_factory, wheel):
    """
    What the LMS's plugin framework reports in a fresh virtualenv holding only the wheel and its dependencies.
    """
    assert PINS.exists(), f"No pinned requirements for this Python: {PINS}"
    work = tmp_path_factory.mktemp("clean-install")
    python = work / "venv" / "bin" / "python"
    run(sys.executable, "-m", "venv", work / "venv", cwd=work)
    run(python, "-m", "pip", "install", "--quiet", wheel, "--constraint", PINS, cwd=work)
    (work / "discover.py").write_text(DISCOVER_SCRIPT, encoding="utf-8")
    (work / "completion").mkdir()
    for name, text in STAND_IN_COMPLETION.items():
        (work / "completion" / name).write_text(text, encoding="utf-8")
    output = run(python, "discover.py", cwd=work)
    return {"venv": work / "venv", **json.loads(output.strip().splitlines()[-1])}


def assert_started(discovered):
    """
    Fail with the fresh virtualenv's traceback if Django did not start there.
    """
    if "error" in discovered:
        pytest.fail(f"Django did not start with the installed plugin:\n{discovered['error']}", pytrace=False)


def test_wheel_ships_every_file_of_the_package(wheel):
    """
    Modules, migrations, templates and static files all reach the wheel (a missing ``__init__.py``
    or MANIFEST.in line would drop them silently).
    """
    in_tree = {
        path.relative_to(REPO).as_posix()
        for path in (REPO / PACKAGE).rglob("*")
        if path.is_file()
        and "__pycache__" not in path.parts
        and path.suffix not in {".pyc", ".pyo"}
        and not path.name.startswith(".")
    }
    with zipfile.ZipFile(wheel) as archive:
        in_wheel = {name for name in archive.namelist() if name.startswith(f"{PACKAGE}/")}
    assert sorted(in_tree - in_wheel) == []


def test_wheel_declares_the_lms_entry_point(wheel):
    with zipfile.ZipFile(wheel) as archive:
        (entry_points,) = [name for name in archive.namelist() if name.endswith(".dist-info/entry_points.txt")]
        text = archive.read(entry_points).decode()
    assert "[lms.djangoapp]" in text
    assert f"{PACKAGE} = {PACKAGE}.apps:LearnerMgmtPluginConfig" in text


def test_lms_finds_the_plugin_app_through_its_entry_point(discovered):
    assert "learner_mgmt_plugin.apps.LearnerMgmtPluginConfig" in discovered["plugin_apps"]


def test_lms_starts_with_the_installed_plugin(discovered):
    assert_started(discovered)
    # The installed copy answered, not this source tree.
    assert Path(discovered["package_file"]).resolve().is_relative_to(discovered["venv"].resolve())
    assert "LEARNER_MGMT_RETROACTIVE_DAYS" in discovered["settings"]


def test_lms_mounts_the_plugin_urls(discovered):
    assert_started(discovered)
    (plugin_urls,) = [found for found in discovered["url_includes"] if found["namespace"] == PACKAGE]
    assert plugin_urls["urlconf"] == f"{PACKAGE}.urls"
    assert plugin_urls["urls"] > 0
