"""
openedx-filters pipeline steps the tests configure, as an operator would.
"""

from openedx_filters import PipelineStep
from openedx_filters.learning.filters import CourseEnrollmentStarted


class RefuseBlockedUsers(PipelineStep):
    """
    An enrollment filter refusing every user whose username starts with "blocked".
    """

    def run_filter(self, user, course_key, mode):  # pylint: disable=arguments-differ
        if user.username.startswith("blocked"):
            raise CourseEnrollmentStarted.PreventEnrollment("Enrollment is closed for this learner.")
        return {}
