"""
The package's layers, read from its imports: the surfaces go through ``api.py`` to the private domain
modules, and only the host adapter imports edx-platform.
"""

import ast
from pathlib import Path

import learner_mgmt_plugin

PACKAGE = Path(learner_mgmt_plugin.__file__).parent
PLATFORM = ("lms", "common", "openedx", "xmodule", "cms")


def imported_modules(path):
    """
    The absolute names of the modules ``path`` imports, relative imports resolved.
    """
    package = ["learner_mgmt_plugin", *path.relative_to(PACKAGE).parent.parts]
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join([*base, node.module] if node.module else base)
            yield module
            # "from . import _jobs" imports the module _jobs.
            yield from (f"{module}.{alias.name}" for alias in node.names)


def modules():
    return [path for path in PACKAGE.rglob("*.py") if "migrations" not in path.parts]


def test_only_the_api_reaches_the_private_domain_modules():
    reaching = {
        str(path.relative_to(PACKAGE))
        for path in modules()
        if "_internal" not in path.parts
        and any(name.startswith("learner_mgmt_plugin._internal") for name in imported_modules(path))
    }
    assert reaching == {"api.py"}


def test_only_the_host_adapter_imports_the_platform():
    importing = {
        str(path.relative_to(PACKAGE))
        for path in modules()
        if any(name.split(".")[0] in PLATFORM for name in imported_modules(path))
    }
    assert importing == {"host/openedx.py"}
