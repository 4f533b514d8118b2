"""
The plugin's settings register its dashboard filter steps and Mako templates in the LMS's settings,
idempotently, whatever shape the site's own filter configuration has, and again after the
production settings' YAML has replaced it.
"""

import copy
import types
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from openedx_filters.learning import filters as openedx_filters

from learner_mgmt_plugin.settings import common, production

RENDER = "org.openedx.learning.instructor.dashboard.render.started.v1"
TABS = "org.openedx.learning.instructor.dashboard.tabs.requested.v1"
SECTION_STEP = "learner_mgmt_plugin.instructor_dashboard.filters.AddLearnerManagementSection"
TAB_STEP = "learner_mgmt_plugin.instructor_dashboard.filters.AddLearnerManagementTab"
OTHER_STEP = "other_plugin.filters.AddReports"


def lms_settings(**values):
    """
    A stand-in for the LMS's settings module (plugin_settings gets the module object).
    """
    return types.SimpleNamespace(**values)


def test_the_development_host_runs_with_both_steps_registered():
    assert django_settings.OPEN_EDX_FILTERS_CONFIG[RENDER] == {"fail_silently": True, "pipeline": [SECTION_STEP]}
    assert django_settings.OPEN_EDX_FILTERS_CONFIG[TABS] == {"fail_silently": True, "pipeline": [TAB_STEP]}


def test_an_lms_without_filter_configuration_gets_both_steps():
    settings = lms_settings()

    common.plugin_settings(settings)

    assert settings.OPEN_EDX_FILTERS_CONFIG == {
        RENDER: {"fail_silently": True, "pipeline": [SECTION_STEP]},
        TABS: {"fail_silently": True, "pipeline": [TAB_STEP]},
    }


def test_the_sites_steps_and_options_are_kept_and_ours_appended():
    site = {
        RENDER: {"fail_silently": False, "pipeline": [OTHER_STEP], "log_level": "debug"},
        "org.openedx.learning.course.enrollment.started.v1": {"pipeline": ["x.Step"]},
    }
    settings = lms_settings(OPEN_EDX_FILTERS_CONFIG=site)

    common.plugin_settings(settings)

    assert settings.OPEN_EDX_FILTERS_CONFIG[RENDER] == {
        "fail_silently": False,
        "pipeline": [OTHER_STEP, SECTION_STEP],
        "log_level": "debug",
    }
    assert settings.OPEN_EDX_FILTERS_CONFIG["org.openedx.learning.course.enrollment.started.v1"] == {
        "pipeline": ["x.Step"]
    }
    # The site's dict (maybe shared with the YAML configuration) is left as it was.
    assert site[RENDER]["pipeline"] == [OTHER_STEP] and TABS not in site


@pytest.mark.parametrize(
    "configured, merged",
    [
        ([OTHER_STEP], [OTHER_STEP, SECTION_STEP]),
        ([SECTION_STEP, OTHER_STEP], [SECTION_STEP, OTHER_STEP]),
        (OTHER_STEP, [OTHER_STEP, SECTION_STEP]),
        (SECTION_STEP, [SECTION_STEP]),
        ({"pipeline": OTHER_STEP}, {"pipeline": [OTHER_STEP, SECTION_STEP]}),
        ({"fail_silently": False}, {"fail_silently": False, "pipeline": [SECTION_STEP]}),
    ],
)
def test_lists_and_single_steps_stay_what_they_are(configured, merged):
    settings = lms_settings(OPEN_EDX_FILTERS_CONFIG={RENDER: configured})

    common.plugin_settings(settings)

    assert settings.OPEN_EDX_FILTERS_CONFIG[RENDER] == merged


def test_applying_the_settings_again_changes_nothing():
    settings = lms_settings(OPEN_EDX_FILTERS_CONFIG={RENDER: [OTHER_STEP]}, MAKO_TEMPLATE_DIRS_BASE=[])
    common.plugin_settings(settings)
    once = copy.deepcopy((settings.OPEN_EDX_FILTERS_CONFIG, settings.MAKO_TEMPLATE_DIRS_BASE))

    common.plugin_settings(settings)
    production.plugin_settings(settings)

    assert (settings.OPEN_EDX_FILTERS_CONFIG, settings.MAKO_TEMPLATE_DIRS_BASE) == once


def test_production_merges_the_steps_back_into_the_yaml_configuration():
    settings = lms_settings()
    common.plugin_settings(settings)
    # production.py loads the YAML over the common settings: its OPEN_EDX_FILTERS_CONFIG replaces ours.
    settings.OPEN_EDX_FILTERS_CONFIG = {RENDER: {"fail_silently": False, "pipeline": [OTHER_STEP]}}

    production.plugin_settings(settings)

    assert settings.OPEN_EDX_FILTERS_CONFIG == {
        RENDER: {"fail_silently": False, "pipeline": [OTHER_STEP, SECTION_STEP]},
        TABS: {"fail_silently": True, "pipeline": [TAB_STEP]},
    }


def test_without_the_mfe_tabs_filter_only_the_legacy_step_is_registered(monkeypatch):
    # openedx-filters before 3.4 (Ulmo's LMS) has no InstructorDashboardTabsRequested.
    monkeypatch.delattr(openedx_filters, "InstructorDashboardTabsRequested")
    settings = lms_settings()

    common.plugin_settings(settings)

    assert list(settings.OPEN_EDX_FILTERS_CONFIG) == [RENDER]


def test_the_mako_templates_are_added_to_the_lms_list_in_place():
    lms_templates = [Path("/edx/app/edxapp/edx-platform/lms/templates")]
    settings = lms_settings(MAKO_TEMPLATE_DIRS_BASE=lms_templates)

    common.plugin_settings(settings)

    # The LMS's template engines hold this list object: it must be the one that grows.
    assert settings.MAKO_TEMPLATE_DIRS_BASE is lms_templates
    assert lms_templates == [Path("/edx/app/edxapp/edx-platform/lms/templates"), common.MAKO_TEMPLATES]
    assert (common.MAKO_TEMPLATES / "instructor_dashboard" / "learner_mgmt.html").is_file()


def test_a_host_without_mako_gets_no_mako_setting():
    settings = lms_settings()

    common.plugin_settings(settings)

    assert not hasattr(settings, "MAKO_TEMPLATE_DIRS_BASE")
