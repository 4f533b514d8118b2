"""
Errors raised by the Learner Management API.

Each carries a stable ``code`` and a message fit to show a course team; the REST layer turns them
into JSON error responses with the matching 4xx status.
"""


class LearnerMgmtError(Exception):
    """
    Base class of the plugin's errors.
    """

    code = "learner_mgmt_error"

    def __init__(self, message, **details):
        super().__init__(message)
        self.message = str(message)
        self.details = details


class InvalidInput(LearnerMgmtError):
    """
    A value given to the API is malformed or not acceptable; ``field`` names it.
    """

    code = "invalid_input"

    def __init__(self, field, message):
        super().__init__(message, field=field)
        self.field = field


class NotFound(LearnerMgmtError):
    """
    Base class for things that do not exist (or must not be revealed).
    """

    code = "not_found"


class CourseNotFound(NotFound):
    """
    The host has no such course.
    """

    code = "course_not_found"


class LearnerNotFound(NotFound):
    """
    The user is not a (listed) learner of the course.
    """

    code = "learner_not_found"


class SessionNotFound(NotFound):
    """
    The course has no such ILT session.
    """

    code = "session_not_found"


class ActionNotAllowed(LearnerMgmtError):
    """
    The action is not offered for the learner's current status; ``allowed_actions`` lists what is.
    """

    code = "action_not_allowed"

    def __init__(self, message, *, action, status, allowed_actions):
        super().__init__(
            message,
            action=str(action),
            status=str(status),
            allowed_actions=[str(allowed) for allowed in allowed_actions],
        )
        self.action = action
        self.status = status
        self.allowed_actions = tuple(allowed_actions)


class Conflict(LearnerMgmtError):
    """
    The request is well formed but the course's current state does not allow it (a full session,
    a session outside the retroactive window, a confirmation that is missing).
    """

    code = "conflict"


class ConfirmationRequired(LearnerMgmtError):
    """
    An irreversible operation was asked for without ``confirm``.
    """

    code = "confirmation_required"


class ImportRefused(LearnerMgmtError):
    """
    A CSV file was refused as a whole (headings, encoding, size or row limits); nothing was imported.
    """

    code = "import_refused"


class HostUnavailable(Exception):
    """
    The LMS (or a part of it the plugin needs) cannot be reached from here, so it cannot do what was
    asked. Not the caller's fault: the REST API answers 503.
    """
