"""
openedx-filters pipeline steps the tests configure, as an operator would.
"""

from openedx_filters import PipelineStep
from openedx_filters.learning.filters import CourseEnrollmentStarted, CourseUnenrollmentStarted


class RefuseBlockedUsers(PipelineStep):
    """
    An enrollment filter refusing every user whose username starts with "blocked".
    """

    def run_filter(self, user, course_key, mode):  # pylint: disable=arguments-differ
        if user.username.startswith("blocked"):
            raise CourseEnrollmentStarted.PreventEnrollment("Enrollment is closed for this learner.")
        return {}


class RefuseUnenrollingBlockedUsers(PipelineStep):
    """
    An unenrollment filter refusing to let any user whose username starts with "blocked" go, as a
    site might keep learners of a mandatory programme enrolled.
    """

    def run_filter(self, enrollment):  # pylint: disable=arguments-differ
        if enrollment.user.username.startswith("blocked"):
            raise CourseUnenrollmentStarted.PreventUnenrollment("Mandatory training: this learner stays enrolled.")
        return {}


def filters_config(**steps) -> dict:
    """
    ``OPEN_EDX_FILTERS_CONFIG`` running each step (a class of this module, by filter class name) as an
    operator configures it, e.g. ``filters_config(CourseUnenrollmentStarted=RefuseUnenrollingBlockedUsers)``.
    """
    filters = {
        "CourseEnrollmentStarted": CourseEnrollmentStarted,
        "CourseUnenrollmentStarted": CourseUnenrollmentStarted,
    }
    return {
        filters[name].filter_type: {"fail_silently": False, "pipeline": [f"{__name__}.{step.__name__}"]}
        for name, step in steps.items()
    }
