"""
Package metadata for learner_mgmt_plugin.
"""

import os
import re

from setuptools import find_packages, setup

HERE = os.path.dirname(os.path.abspath(__file__))


def get_version():
    """
    Read ``__version__`` from the package without importing it.
    """
    with open(os.path.join(HERE, "learner_mgmt_plugin", "__init__.py"), encoding="utf-8") as init:
        return re.search(r'^__version__ = "([^"]+)"', init.read(), re.MULTILINE).group(1)


def load_requirements(filename):
    """
    ``install_requires`` from ``requirements/<filename>``, each with its range from ``constraints.txt``.

    Option lines (``-c``, ``-r``) and comments are skipped; ``Django`` becomes ``Django>=5.2,<6.0``.
    """

    def requirements(name):
        with open(os.path.join(HERE, "requirements", name), encoding="utf-8") as handle:
            for line in handle:
                line = line.split("#", 1)[0].strip()
                if line and not line.startswith("-"):
                    # project name, extras ("[django]" or ""), version specifiers
                    yield re.fullmatch(r"([\w.-]+)\s*(\[[^]]*\])?\s*(.*)", line).groups(default="")

    def canonical(project):
        return re.sub(r"[-_.]+", "-", project).lower()

    ranges = {canonical(project): spec for project, _, spec in requirements("constraints.txt")}
    return [
        project + extras + ",".join(filter(None, [spec, ranges.get(canonical(project))]))
        for project, extras, spec in requirements(filename)
    ]


with open(os.path.join(HERE, "README.md"), encoding="utf-8") as readme:
    LONG_DESCRIPTION = readme.read()

setup(
    name="learner-mgmt-plugin",
    version=get_version(),
    description="Learner Management for the Open edX instructor dashboard: assignments, ILT sessions, bulk actions.",
    long_description=LONG_DESCRIPTION,
    long_description_content_type="text/markdown",
    license="AGPL-3.0-or-later",
    packages=find_packages(include=["learner_mgmt_plugin", "learner_mgmt_plugin.*"]),
    include_package_data=True,
    python_requires=">=3.11",
    install_requires=load_requirements("base.in"),
    entry_points={
        "lms.djangoapp": ["learner_mgmt_plugin = learner_mgmt_plugin.apps:LearnerMgmtPluginConfig"],
        # The Tutor plugin (learner_mgmt_plugin/tutor), for operators who pip install this on their Tutor host.
        "tutor.plugin.v1": ["learner-mgmt = learner_mgmt_plugin.tutor.plugin"],
    },
    classifiers=[
        "Framework :: Django",
        "Framework :: Django :: 5.2",
        "Programming Language :: Python :: 3.11",
        "Programming Language :: Python :: 3.12",
    ],
)
