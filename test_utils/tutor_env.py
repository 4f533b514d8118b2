"""
Tutor as the Tutor plugin's tests (``tests/tutor``) and the learner dashboard MFE's tests (``tests/mfe``) run
it, offline: Tutor 21 (Ulmo) on Python 3.11 and Tutor 22 (Verawood) on Python 3.12, each with its tutor-mfe in
a virtualenv of its own under ``var/tutor-venvs/``, kept between runs, and this tree's plugin installed from a
wheel without its dependencies, as the README's ``pip install --no-deps learner-mgmt-plugin`` puts it on a Tutor
host: whatever Tutor does with it here, it does without Django.
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
VENVS = REPO / "var" / "tutor-venvs"
# Tutor major version: the Python its Open edX release runs on.
TUTOR_PYTHONS = {"21": "3.11", "22": "3.12"}
# Variables of the test process that would point Tutor's virtualenv back at this tree or at Django's settings.
LEAKING_ENVIRONMENT = ("DJANGO_SETTINGS_MODULE", "PYTHONPATH", "PYTHONHOME", "VIRTUAL_ENV", "PIP_REQUIRE_VIRTUALENV")
# Long enough for a cold `npm ci` or webpack build on a loaded two-core machine.
STEP_TIMEOUT = 1200


def run(*command, cwd, env=None, input_text=None) -> subprocess.CompletedProcess:
    """
    Run ``command`` (``env`` added to this process's environment, minus what leaks, and ``input_text`` on its
    standard input); what it printed, or an error saying so.
    """
    environment = {name: value for name, value in os.environ.items() if name not in LEAKING_ENVIRONMENT}
    result = subprocess.run(
        [str(part) for part in command],
        cwd=cwd,
        env={**environment, **(env or {})},
        input=input_text,
        stdin=subprocess.DEVNULL if input_text is None else None,
        capture_output=True,
        text=True,
        timeout=STEP_TIMEOUT,
        check=False,
    )
    if result.returncode:
        raise RuntimeError(f"{' '.join(map(str, command))} failed:\n{result.stdout[-5000:]}\n{result.stderr[-5000:]}")
    return result


def python_of(version: str) -> Path:
    """
    An interpreter of Python ``version`` ("3.12"): pyenv's, else one on PATH.
    """
    found = sorted(Path.home().glob(f".pyenv/versions/{version}.*/bin/python")) or [shutil.which(f"python{version}")]
    if found[0] is None:
        raise RuntimeError(f"Tutor needs Python {version} here (pyenv install {version}, or python{version} on PATH)")
    return Path(found[0])


def plugin_wheel(work: Path) -> Path:
    """
    A wheel of this tree, built in ``work`` from a copy of it (building in place would write into the tree).
    """
    source = work / "source"
    shutil.copytree(
        REPO,
        source,
        ignore=shutil.ignore_patterns(".git", ".venv*", ".tox", "var", "build", "dist", "*.egg-info", "__pycache__"),
    )
    run(sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--wheel-dir", work / "dist", source, cwd=work)
    (wheel,) = (work / "dist").glob("*.whl")
    return wheel


def tutor_venv(major: str, wheel: Path) -> Path:
    """
    The virtualenv of Tutor ``major`` ("21") with tutor-mfe of the same major version (made on first use), with
    the plugin's ``wheel`` installed afresh.
    """
    venv = VENVS / f"tutor{major}"
    python = venv / "bin" / "python"
    requirements = [f"tutor=={major}.*", f"tutor-mfe=={major}.*"]
    stamp = venv / ".requirements"
    if not stamp.exists() or stamp.read_text() != " ".join(requirements):
        shutil.rmtree(venv, ignore_errors=True)
        run(python_of(TUTOR_PYTHONS[major]), "-m", "venv", venv, cwd=REPO)
        run(python, "-m", "pip", "install", "--quiet", *requirements, cwd=REPO)
        stamp.write_text(" ".join(requirements))
    run(python, "-m", "pip", "install", "--quiet", "--no-deps", "--force-reinstall", wheel, cwd=REPO)
    return venv
