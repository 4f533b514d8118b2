"""
Django signals of the development host, for what the LMS announces through other means.
"""

from django.dispatch import Signal

# A learner's completion data in a course changed (blocks completed or progress set). Sent once per
# learner per call, like edx-completion's saves. Arguments: ``user_id`` (int) and ``course_key``
# (a ``CourseKey``).
progress_changed = Signal()

# A learner did something in a course that the courseware saves as their state of a block without
# completing it (opened a section, attempted a problem, played a SCORM package), as StudentModule's
# saves tell. Arguments: ``user_id`` (int) and ``course_key`` (a ``CourseKey``).
learner_activity = Signal()

# A user is being retired: apps erase what they hold about them, as the LMS's retirement pipeline asks
# with ``USER_RETIRE_LMS_MISC`` before it anonymises the account. Argument: ``user`` (the User).
user_retired = Signal()
