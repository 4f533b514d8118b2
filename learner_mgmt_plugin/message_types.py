"""
The messages Learner Management sends to learners, as edx-ace message types (the platform's messaging
framework: ``ace.send`` renders them in the learner's language and delivers them through the site's
channels, by default its email).

Their templates are ``templates/learner_mgmt_plugin/edx_ace/<name>/email/``: ``subject.txt``,
``body.txt``, ``body.html``, ``head.html`` and ``from_name.txt``, as edx-ace expects. A site's theme
may override them like any LMS template. They stand on their own (they extend none of the platform's
email templates, which need a request to render), so a Celery worker renders them as they are.
"""

from edx_ace.message import MessageType


class LearnerMessage(MessageType):
    """
    A message to a learner about one course: transactional (it answers something the course team did
    for that learner), so the site's transactional channel carries it.
    """

    APP_LABEL = "learner_mgmt_plugin"

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.options["transactional"] = True


class CourseAssigned(LearnerMessage):
    """
    A course was assigned to the learner (or assigned again): required or optional, the due date, the
    course team's message and a link to the course.
    """


class DueDateReminder(LearnerMessage):
    """
    The learner's required course is due soon (``days_left`` days, 0 for today) and not completed yet.
    """


class OverdueNotice(LearnerMessage):
    """
    The learner's required course was due and is not completed.
    """


class SessionNoShow(LearnerMessage):
    """
    The learner missed their instructor-led session: the course team's private message, and that they
    may book another session.
    """
