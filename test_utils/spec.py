"""
SPEC section 3 written out again, independently of ``learner_mgmt_plugin.rules``, for tests to
compare the rules with.
"""

from learner_mgmt_plugin.data import Action, LearnerStatus

A = Action
NS, ST, IP, EN, CO = (
    LearnerStatus.NOT_STARTED,
    LearnerStatus.STARTED,
    LearnerStatus.IN_PROGRESS,
    LearnerStatus.ENROLLED,
    LearnerStatus.COMPLETED,
)

# SPEC section 3, written out again independently of rules.py: action -> statuses offering it.
SPEC_TABLE = {
    A.UPDATE_DUE_DATE: {NS, ST, IP, EN, CO},
    A.RESET_PROGRESS: {ST, IP, CO},
    A.VIEW_HISTORY: {NS, ST, IP, EN, CO},
    A.MARK_COMPLETE: {NS, ST, IP, EN},
    A.VIEW_SCORM_ACTIVITY: {ST, IP, CO},
    A.VIEW_CHAPTER_INSIGHTS: {NS, ST, IP, CO},
    A.VIEW_QUIZ_INSIGHTS: {NS, ST, IP, CO},
    A.MAKE_INSTRUCTOR: {NS, ST, IP, EN, CO},
    A.CHANGE_SESSION: {NS, EN},
    A.MARK_NO_SHOW: {EN},
    A.UNASSIGN: {NS, ST, IP, EN},
    A.REMOVE: {NS, ST, IP, EN, CO},
    A.GENERATE_CERTIFICATE: {CO},
    A.REMOVE_CERTIFICATE: {CO},
    A.VIEW_CERTIFICATE: {CO},
}
