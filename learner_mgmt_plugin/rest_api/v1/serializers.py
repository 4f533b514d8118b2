"""
Serializers of REST API v1: input serializers parse requests (types, dates, ids; the rules are
``api``'s), output serializers shape ``data.py`` objects into JSON. Dates and times are ISO 8601.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from ... import api, rules
from ...data import (
    AUDIT_ACTIONS,
    REASON_MAX_LENGTH,
    Action,
    AttemptCloseReason,
    CertificateStatus,
    CompletionSource,
    CourseKind,
    HistoryKind,
    JobState,
    LearnerStatus,
    MassAction,
    RemoveScope,
    ReviewState,
    SeatState,
    TagVariant,
)

# Numbers a user sends are bounded so that none can overflow a database column: ids are 64-bit,
# page numbers and session capacities 32-bit.
MAX_ID = 2**63 - 1
MAX_PAGE = 2**31 - 1
MAX_CAPACITY = 2**31 - 1


def _choices(enum):
    return [member.value for member in enum]


def _credits(**kwargs):
    """
    Credits as a JSON number; any precision is accepted here, ``api`` says which it takes.
    """
    return serializers.DecimalField(max_digits=None, decimal_places=None, coerce_to_string=False, **kwargs)


def results_serializer(name, item_serializer, doc):
    """
    A serializer of ``{"results": [item, ...]}``, the shape of every list this API returns.
    """
    return type(name, (serializers.Serializer,), {"__doc__": doc, "results": item_serializer(many=True)})


class ErrorSerializer(serializers.Serializer):  # pylint: disable=abstract-method
    """
    Every error: a stable code and a message fit to show, plus details of the error.
    """

    error = serializers.CharField(help_text="Stable code, e.g. invalid_input, learner_not_found, action_not_allowed.")
    message = serializers.CharField()
    field = serializers.CharField(required=False, help_text="The input at fault (invalid input).")
    fields = serializers.DictField(required=False, help_text="Each malformed input and what is wrong with it.")
    action = serializers.CharField(required=False, help_text="The action refused (409).")
    status = serializers.CharField(required=False, help_text="The learner's status (409).")
    allowed_actions = serializers.ListField(
        child=serializers.ChoiceField(choices=_choices(Action)),
        required=False,
        help_text="What the learner's status allows (409).",
    )


# The learner's own view


class AssignmentTagSerializer(serializers.Serializer):  # pylint: disable=abstract-method
    """
    The tag of an assigned course, in the learner's language, and how to show it.
    """

    label = serializers.CharField(help_text='"Required · Due Jan. 5, 2027", "Required", "Overdue" or "Optional".')
    variant = serializers.ChoiceField(choices=_choices(TagVariant))


class SessionTimesSerializer(serializers.Serializer):  # pylint: disable=abstract-method
    """
    An ILT session: which, and when.
    """

    id = serializers.IntegerField()
    title = serializers.CharField()
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()


class SessionOfferSerializer(SessionTimesSerializer):  # pylint: disable=abstract-method
    """
    An ILT session as the learner sees it.
    """

    location = serializers.CharField(allow_blank=True)
    seats_left = serializers.IntegerField(allow_null=True, help_text="Null where there is no limit.")


class MyAssignmentSerializer(serializers.Serializer):  # pylint: disable=abstract-method
    """
    A course assigned to the signed-in learner: the course and where to take it, its tag, where they
    stand, and in an ILT course their seat and the upcoming sessions with a free seat they may book.
    """

    course_id = serializers.CharField(source="course_key")
    course_title = serializers.CharField()
    course_url = serializers.CharField()
    kind = serializers.ChoiceField(choices=_choices(CourseKind))
    required = serializers.BooleanField()
    due_date = serializers.DateField(allow_null=True)
    overdue = serializers.BooleanField()
    tag = AssignmentTagSerializer()
    status = serializers.ChoiceField(choices=_choices(LearnerStatus))
    status_label = serializers.CharField()
    progress = serializers.IntegerField()
    assigned_at = serializers.DateTimeField()
    message = serializers.CharField(allow_blank=True)
    session = SessionOfferSerializer(allow_null=True)
    can_book = serializers.BooleanField(help_text="Whether the learner may book, change or cancel their own seat.")
    bookable_sessions = SessionOfferSerializer(many=True)


class MyAssignmentsSerializer(serializers.Serializer):  # pylint: disable=abstract-method
    """
    The courses assigned to the signed-in learner, Required first then by due date, and their My
    Learning page.
    """

    my_learning_url = serializers.URLField()
    labels = serializers.DictField(
        child=serializers.CharField(), help_text="The learner dashboard plugins' words, in the learner's language."
    )
    results = MyAssignmentSerializer(many=True)


class BookingInputSerializer(serializers.Serializer):  # pylint: disable=abstract-method
    """
    The session to book.
    """

    session_id = serializers.IntegerField(min_value=1, max_value=MAX_ID)


# The learner list


class SelectionSerializer(serializers.Serializer):  # pylint: disable=abstract-method
    """
    The learner list's filters; in a mass action, every learner they match is selected ("select all",
    across pages).
    """

    status = serializers.ChoiceField(choices=_choices(LearnerStatus), required=False)
    search = serializers.CharField(
        required=False,
        allow_blank=True,
        help_text="Words, each the start of the learner's name, last name, username, email or employee ID.",
    )
    required = serializers.BooleanField(required=False, allow_null=True, default=None)
    session = serializers.IntegerField(
        source="session_id", required=False, min_value=1, max_value=MAX_ID, help_text="An ILT session id."
    )
    overdue = serializers.BooleanField(
        required=False, allow_null=True, default=None, help_text="true: due before today and not completed."
    )


class LearnerExportQuerySerializer(SelectionSerializer):  # pylint: disable=abstract-method
    """
    Filters and ordering of the learner list (query parameters).
    """

    ordering = serializers.CharField(
        required=False,
        help_text="name, username, progress, due_date, assigned_at or status; prefix '-' to reverse.",
    )


class ExportInputSerializer(LearnerExportQuerySerializer):  # pylint: disable=abstract-method
    """
    A background export of the learner list: its format, and the list's filters and ordering.
    """

    format = serializers.ChoiceField(choices=["csv", "xlsx"], default="csv", source="file_format")


class CommaSeparatedField(serializers.CharField):
    """
    A list of names given as one comma-separated query parameter (``action=unassigned,removed``).
    """

    def to_internal_value(self, data):
        return [name.strip() for name in super().to_internal_value(data).split(",") if name.strip()]


class AuditTrailQuerySerializer(serializers.Serializer):  # pylint: disable=abstract-method
    """
    The dates and actions of the audit trail to export (query parameters).
    """

    since = serializers.DateField(required=False, help_text="The first day (YYYY-MM-DD), included.")
    until = serializers.DateField(required=False, help_text="The last day (YYYY-MM-DD), included.")
    action = CommaSeparatedField(
        required=False,
        source="actions",
        help_text="Comma-separated: " + ", ".join(AUDIT_ACTIONS) + ". All when left out.",
    )


class LearnerListQuerySerializer(LearnerExportQuerySerializer):  # pylint: disable=abstract-method
    """
    Filters, ordering and page of the learner list (query parameters).
    """

    page = serializers.IntegerField(required=False, min_value=1, max_value=MAX_PAGE)
    page_size = serializers.IntegerField(required=False, min_value=1, max_value=MAX_PAGE)


class SessionSummarySerializer(SessionTimesSerializer):  # pylint: disable=abstract-method
    """
    The ILT session a learner is seated in.
    """

    retroactive = serializers.BooleanField()


class CertificateSummarySerializer(serializers.Serializer):  # pylint: disable=abstract-method
    """
    Certificate state of the current attempt: ``mode`` is the enrollment mode the LMS judged it by,
    ``note`` says what the LMS did where it did not simply issue the certificate.
    """

    status = serializers.ChoiceField(choices=_choices(CertificateStatus))
    changed_at = serializers.DateTimeField(allow_null=True)
    mode = serializers.CharField()
    note = serializers.CharField()
    url = serializers.CharField(help_text="The LMS's page of the certificate while it is downloadable.")


class PersonSerializer(serializers.Serializer):  # pylint: disable=abstract-method
    """
    Who a user is: their ids, email and full name.
    """

    user_id = serializers.IntegerField()
    username = serializers.CharField()
    email = serializers.CharField()
    name = serializers.CharField()
    employee_id = serializers.CharField(allow_null=True)


class LearnerRowSerializer(PersonSerializer):  # pylint: disable=abstract-method
    """
    One learner of the course, with the actions the requesting user may take on them.
    """

    status = serializers.ChoiceField(choices=_choices(LearnerStatus))
    status_label = serializers.CharField()
    progress = serializers.IntegerField()
    required = serializers.BooleanField()
    due_date = serializers.DateField(allow_null=True)
    overdue = serializers.BooleanField()
    assigned_by = serializers.CharField(allow_null=True)
    assigned_at = serializers.DateTimeField()
    attempt = serializers.IntegerField()
    completed_at = serializers.DateTimeField(allow_null=True)
    completion_source = serializers.ChoiceField(choices=_choices(CompletionSource), allow_null=True)
    credits_awarded = _credits()
    session = SessionSummarySerializer(allow_null=True)
    certificate = CertificateSummarySerializer(allow_null=True)
    actions = serializers.ListField(child=serializers.ChoiceField(choices=_choices(Action)))
    last_reminder_at = serializers.DateTimeField(
        allow_null=True, help_text="When a due date reminder or overdue notice last went to the learner."
    )


class LearnerPageSerializer(serializers.Serializer):  # pylint: disable=abstract-method
    """
    A page of the learner list, links to its neighbours and the count of each status under the
    other filters.
    """

    count = serializers.IntegerField()
    next = serializers.URLField(allow_null=True)
    previous = serializers.URLField(allow_null=True)
    page = serializers.IntegerField()
    page_size = serializers.IntegerField()
    results = LearnerRowSerializer(many=True)
    status_counts = serializers.DictField(child=serializers.IntegerField())


class WeekCompletionsSerializer(serializers.Serializer):  # pylint: disable=abstract-method
    """
    The completions of one week (starting on Monday).
    """

    week_start = serializers.DateField()
    completions = serializers.IntegerField()


class CourseSummarySerializer(serializers.Serializer):  # pylint: disable=abstract-method
    """
    A course's learners at a glance; ``required_completion_rate`` is a percentage of the required
    learners (null without any), ``completions_per_week`` the last twelve weeks, oldest first.
    """

    learners = serializers.IntegerField()
    status_counts = serializers.DictField(child=serializers.IntegerField())
    required = serializers.IntegerField()
    optional = serializers.IntegerField()
    overdue = serializers.IntegerField()
    required_completed = serializers.IntegerField()
    required_completion_rate = serializers.FloatField(allow_null=True)
    completions_per_week = WeekCompletionsSerializer(many=True)


# Per-learner actions


def _reason():
    return serializers.CharField(
        required=False,
        allow_blank=True,
        max_length=REASON_MAX_LENGTH,
        help_text="Why the change is made, in the course team's words; kept in the learner's history.",
    )


class ReasonInputSerializer(serializers.Serializer):  # pylint: disable=abstract-method
    """
    The optional reason every action on a learner takes (a course may require one to remove learners).
    """

    reason = _reason()


class DueDateInputSerializer(ReasonInputSerializer):  # pylint: disable=abstract-method
    """
    A new due date; null removes it (and makes the course optional).
    """

    due_date = serializers.DateField(allow_null=True)


class ChangeSessionInputSerializer(ReasonInputSerializer):  # pylint: disable=abstract-method
    """
    The ILT session to seat the learner in.
    """

    session_id = serializers.IntegerField(min_value=1, max_value=MAX_ID)


class MarkNoShowInputSerializer(ReasonInputSerializer):  # pylint: disable=abstract-method
    """
    An optional private message to the learner.
    """

    message = serializers.CharField(required=False, allow_blank=True)


class RemoveInputSerializer(ReasonInputSerializer):  # pylint: disable=abstract-method
    """
    What to remove the learner from; removing from the course needs ``confirm: true``.
    """

    scope = serializers.ChoiceField(choices=_choices(RemoveScope))
    confirm = serializers.BooleanField(required=False)


# Views of one learner


class HistoryEntrySerializer(serializers.Serializer):  # pylint: disable=abstract-method
    """
    One event of the learner's history.
    """

    id = serializers.IntegerField()
    kind = serializers.ChoiceField(choices=_choices(HistoryKind))
    attempt = serializers.IntegerField(allow_null=True)
    actor = serializers.CharField(allow_null=True)
    created = serializers.DateTimeField()
    details = serializers.DictField()
    reason = serializers.CharField(allow_blank=True)


class AttemptSummarySerializer(serializers.Serializer):  # pylint: disable=abstract-method
    """
    One of the learner's attempts; closed ones say why.
    """

    number = serializers.IntegerField()
    started_at = serializers.DateTimeField(allow_null=True)
    progress = serializers.IntegerField()
    completed_at = serializers.DateTimeField(allow_null=True)
    completion_source = serializers.ChoiceField(choices=_choices(CompletionSource), allow_null=True)
    certificate = serializers.ChoiceField(choices=_choices(CertificateStatus), allow_null=True)
    certificate_url = serializers.CharField()
    credits_awarded = _credits()
    closed_at = serializers.DateTimeField(allow_null=True)
    closed_reason = serializers.ChoiceField(choices=_choices(AttemptCloseReason), allow_null=True)


class SeatRecordSerializer(serializers.Serializer):  # pylint: disable=abstract-method
    """
    A seat the learner held in an ILT session, and how it ended.
    """

    session_id = serializers.IntegerField()
    title = serializers.CharField()
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    state = serializers.ChoiceField(choices=_choices(SeatState))
    retroactive = serializers.BooleanField()
    attempt = serializers.IntegerField(allow_null=True)


class LearnerHistorySerializer(serializers.Serializer):  # pylint: disable=abstract-method
    """
    The learner's history in the course: events newest first, their attempts and ILT seats.
    """

    events = HistoryEntrySerializer(many=True)
    attempts = AttemptSummarySerializer(many=True)
    sessions = SeatRecordSerializer(many=True)


class ChapterProgressSerializer(serializers.Serializer):  # pylint: disable=abstract-method
    """
    The learner's progress in one chapter.
    """

    chapter_id = serializers.CharField()
    title = serializers.CharField()
    progress = serializers.IntegerField()
    completed_at = serializers.DateTimeField(allow_null=True)


class QuestionResultSerializer(serializers.Serializer):  # pylint: disable=abstract-method
    """
    The learner's answer to one quiz question.
    """

    question = serializers.CharField()
    answer = serializers.CharField(allow_blank=True)
    correct = serializers.BooleanField(allow_null=True)


class QuizResultSerializer(serializers.Serializer):  # pylint: disable=abstract-method
    """
    The learner's result in one quiz chapter.
    """

    chapter_id = serializers.CharField()
    title = serializers.CharField()
    score = serializers.IntegerField(allow_null=True)
    attempts = serializers.IntegerField()
    questions = QuestionResultSerializer(many=True)


class ScormRecordSerializer(serializers.Serializer):  # pylint: disable=abstract-method
    """
    One SCORM/xAPI statement recorded for the learner.
    """

    verb = serializers.CharField()
    object = serializers.CharField()
    result = serializers.CharField(allow_blank=True)
    timestamp = serializers.DateTimeField()


ChapterInsightsSerializer = results_serializer(
    "ChapterInsights", ChapterProgressSerializer, "The learner's progress in each chapter."
)
QuizInsightsSerializer = results_serializer(
    "QuizInsights", QuizResultSerializer, "The learner's results in each quiz chapter."
)
ScormActivitySerializer = results_serializer(
    "ScormActivity", ScormRecordSerializer, "The learner's SCORM/xAPI activity records."
)


# Assigning


class UserSearchQuerySerializer(serializers.Serializer):  # pylint: disable=abstract-method
    """
    What to search users by: a name, username or email fragment, or an exact employee ID.
    """

    search = serializers.CharField(help_text="At least two characters.")


class UserMatchesSerializer(serializers.Serializer):  # pylint: disable=abstract-method
    """
    Users to pick for an assignment, best matches first.
    """

    results = PersonSerializer(many=True)


def _identifier_list():
    # api refuses more users than it takes at a time; refused here, a longer list is not even read.
    return serializers.ListField(
        child=serializers.CharField(allow_blank=True),
        max_length=api.MAX_USERS_AT_A_TIME,
        error_messages={
            "max_length": _("At most {max_length} users at a time; import a CSV file to assign more."),
        },
    )


class TermsSerializer(serializers.Serializer):  # pylint: disable=abstract-method
    """
    The terms of an assignment: required, due date (which makes it required) and a message. Left out,
    a learner assigned already keeps theirs; a new learner's course is optional unless dated.
    """

    required = serializers.BooleanField(required=False, allow_null=True, default=None)
    due_date = serializers.DateField(required=False, allow_null=True)
    message = serializers.CharField(required=False, allow_blank=True)


class ReviewInputSerializer(TermsSerializer):  # pylint: disable=abstract-method
    """
    The users to review, each named by email, username or employee ID, and the terms they would be
    assigned on.
    """

    users = _identifier_list()


class AssignmentTermsOutputSerializer(serializers.Serializer):  # pylint: disable=abstract-method
    """
    The terms a learner is (or would be) assigned the course on.
    """

    required = serializers.BooleanField()
    due_date = serializers.DateField(allow_null=True)
    message = serializers.CharField(allow_blank=True)


class ReviewedUserSerializer(PersonSerializer):  # pylint: disable=abstract-method
    """
    A user named for assignment (by ``identifier``), where they stand in the course, their current
    terms (null unless assigned), the terms assigning them would give, and which of these change.
    """

    identifier = serializers.CharField()
    state = serializers.ChoiceField(choices=_choices(ReviewState))
    status = serializers.ChoiceField(choices=_choices(LearnerStatus), allow_null=True)
    status_label = serializers.CharField(allow_null=True)
    current_terms = AssignmentTermsOutputSerializer(allow_null=True)
    new_terms = AssignmentTermsOutputSerializer()
    changes = serializers.ListField(child=serializers.ChoiceField(choices=rules.TERM_FIELDS))


class AssignmentReviewSerializer(serializers.Serializer):  # pylint: disable=abstract-method
    """
    What assigning the course to the named users would meet.
    """

    skip_completed_available = serializers.BooleanField()
    users = ReviewedUserSerializer(many=True)
    not_found = serializers.ListField(child=serializers.CharField())
    deactivated = serializers.ListField(child=serializers.CharField())
    ambiguous = serializers.ListField(child=serializers.CharField())


class AssignmentTermsSerializer(TermsSerializer):  # pylint: disable=abstract-method
    """
    The terms of an assignment, and whether to skip learners who completed the course.
    """

    skip_completed = serializers.BooleanField(required=False)


class AssignInputSerializer(AssignmentTermsSerializer):  # pylint: disable=abstract-method
    """
    Assign the course to users named by email, username or employee ID.
    """

    users = _identifier_list()


class SkippedLearnerSerializer(serializers.Serializer):  # pylint: disable=abstract-method
    """
    A learner left alone, and why.
    """

    username = serializers.CharField()
    reason = serializers.CharField()


class MassSkippedLearnerSerializer(SkippedLearnerSerializer):  # pylint: disable=abstract-method
    """
    A learner a mass action left alone, and why.
    """

    name = serializers.CharField(help_text="The learner's full name; empty where they have none.")


class FailedIdentifierSerializer(serializers.Serializer):  # pylint: disable=abstract-method
    """
    An identifier that could not be assigned, and why.
    """

    identifier = serializers.CharField()
    reason = serializers.CharField()


class ImportInputSerializer(AssignmentTermsSerializer):  # pylint: disable=abstract-method
    """
    A CSV file (headings ``email,username,employee_id,due_date``) and the terms of the assignment.
    """

    # Empty files are for ``api`` to refuse, with the headings it expects.
    file = serializers.FileField(allow_empty_file=True)


# Background jobs


class JobAcceptedSerializer(serializers.Serializer):  # pylint: disable=abstract-method
    """
    A job queued to run in the background, and where to follow it.
    """

    id = serializers.CharField()
    status_url = serializers.URLField()


class ImportFailureSerializer(serializers.Serializer):  # pylint: disable=abstract-method
    """
    A row that was not imported (``row`` counts the headings as 1).
    """

    row = serializers.IntegerField()
    email = serializers.CharField(allow_blank=True)
    username = serializers.CharField(allow_blank=True)
    employee_id = serializers.CharField(allow_blank=True)
    reason = serializers.CharField()


class ReassignedRowSerializer(serializers.Serializer):  # pylint: disable=abstract-method
    """
    A row whose learner had completed the course and was assigned it again on a new attempt (``row``
    counts the headings as 1).
    """

    row = serializers.IntegerField()
    identifier = serializers.CharField()
    username = serializers.CharField()


class ImportOutcomeSerializer(serializers.Serializer):  # pylint: disable=abstract-method
    """
    The outcome of a finished import. ``failures`` lists the failed rows when they are few enough to
    show; ``download_url`` (given in the context) serves all of them whenever any failed.
    """

    id = serializers.CharField()
    message = serializers.CharField(source="import_result.message")
    imported = serializers.IntegerField(source="import_result.imported")
    failed = serializers.IntegerField(source="import_result.failed")
    assigned = serializers.IntegerField(source="import_result.assigned")
    updated = serializers.IntegerField(source="import_result.updated")
    reassigned = serializers.IntegerField(source="import_result.reassigned")
    reassigned_rows = ReassignedRowSerializer(source="import_result.reassigned_rows", many=True)
    failures = ImportFailureSerializer(source="import_result.failures", many=True, required=False)
    download_url = serializers.URLField(required=False)

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if not instance.import_result.show_failures_inline:
            del data["failures"]
        if instance.import_result.failed:
            data["download_url"] = self.context["download_url"]
        return data


class MassActionOutcomeSerializer(serializers.Serializer):  # pylint: disable=abstract-method
    """
    The outcome of a finished mass action: learners it was applied to (``done``, and their names in
    ``done_names``), those it does not apply to (``skipped``) and usernames that are not learners of the
    course (``failed``).
    """

    id = serializers.CharField()
    action = serializers.ChoiceField(choices=_choices(MassAction), source="mass_action_result.action")
    done = serializers.ListField(child=serializers.CharField(), source="mass_action_result.done")
    done_names = serializers.ListField(
        child=serializers.CharField(allow_blank=True),
        source="mass_action_result.done_names",
        help_text="The full names of the learners in done, in the same order; empty for a learner without one.",
    )
    skipped = MassSkippedLearnerSerializer(many=True, source="mass_action_result.skipped")
    failed = SkippedLearnerSerializer(many=True, source="mass_action_result.failed")


_PROGRESS_FIELDS = ("id", "state", "completed_steps", "total_steps", "error")


class JobStatusSerializer(serializers.Serializer):  # pylint: disable=abstract-method
    """
    Base of a job's status: its progress and, once it has succeeded, the fields of its outcome
    (``outcome_serializer``).
    """

    outcome_serializer: type[serializers.Serializer]

    id = serializers.CharField()
    state = serializers.ChoiceField(choices=_choices(JobState))
    completed_steps = serializers.IntegerField()
    total_steps = serializers.IntegerField()
    error = serializers.CharField(allow_blank=True, help_text="Why the job failed, if it did.")

    def get_fields(self):
        # The outcome's fields are declared too (optional), so that the schema describes them.
        fields = super().get_fields()
        for name, field in self.outcome_serializer().get_fields().items():
            if name not in fields:
                field.required = False
                fields[name] = field
        return fields

    def to_representation(self, instance):
        progress = {name: self.fields[name].to_representation(getattr(instance, name)) for name in _PROGRESS_FIELDS}
        if instance.state != JobState.SUCCEEDED:
            return progress
        return {**progress, **self.outcome_serializer(instance, context=self.context).data}


class ImportStatusSerializer(JobStatusSerializer):  # pylint: disable=abstract-method
    """
    An import's progress and, once it has succeeded, its outcome.
    """

    outcome_serializer = ImportOutcomeSerializer


class MassActionStatusSerializer(JobStatusSerializer):  # pylint: disable=abstract-method
    """
    A mass action's progress and, once it has succeeded, its outcome.
    """

    outcome_serializer = MassActionOutcomeSerializer


class ExportOutcomeSerializer(serializers.Serializer):  # pylint: disable=abstract-method
    """
    A finished export: its file's name and ``download_url`` (given in the context), where it is served.
    """

    id = serializers.CharField()
    filename = serializers.CharField(source="export_filename")
    download_url = serializers.URLField(required=False)

    def to_representation(self, instance):
        return {**super().to_representation(instance), "download_url": self.context["download_url"]}


class ExportStatusSerializer(JobStatusSerializer):  # pylint: disable=abstract-method
    """
    An export's progress and, once its file is written, where to download it.
    """

    outcome_serializer = ExportOutcomeSerializer


class AssignmentOutcomeSerializer(serializers.Serializer):  # pylint: disable=abstract-method
    """
    The outcome of a finished assignment: who was newly assigned, given new terms, re-assigned on a
    new attempt, skipped, and what failed.
    """

    id = serializers.CharField()
    assigned = serializers.ListField(child=serializers.CharField(), source="assignment_result.assigned")
    updated = serializers.ListField(child=serializers.CharField(), source="assignment_result.updated")
    reassigned = serializers.ListField(child=serializers.CharField(), source="assignment_result.reassigned")
    skipped = SkippedLearnerSerializer(many=True, source="assignment_result.skipped")
    failed = FailedIdentifierSerializer(many=True, source="assignment_result.failed")


class AssignmentStatusSerializer(JobStatusSerializer):  # pylint: disable=abstract-method
    """
    An assignment's progress and, once it has succeeded, its outcome.
    """

    outcome_serializer = AssignmentOutcomeSerializer


class MassActionInputSerializer(serializers.Serializer):  # pylint: disable=abstract-method
    """
    A mass action on the selected learners: their usernames (``users``) or the list's filters that
    match them all (``filter``); ``remove`` takes a ``scope`` (and ``confirm: true`` unless it is
    ``session``), ``change_session`` a ``session_id``, ``update_due_date`` a ``due_date`` (null removes
    it).
    """

    action = serializers.ChoiceField(choices=_choices(MassAction))
    users = serializers.ListField(child=serializers.CharField(allow_blank=True), required=False)
    filter = SelectionSerializer(required=False, source="selection")
    scope = serializers.ChoiceField(choices=_choices(RemoveScope), required=False, allow_null=True)
    session_id = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=MAX_ID)
    due_date = serializers.DateField(
        required=False, allow_null=True, help_text="update_due_date: the new due date, or null to remove it."
    )
    confirm = serializers.BooleanField(required=False)
    reason = _reason()

    def validate(self, attrs):
        # Left out, it would read as null and remove every selected learner's due date.
        if attrs["action"] == MassAction.UPDATE_DUE_DATE and "due_date" not in attrs:
            raise serializers.ValidationError({"due_date": _("Give the new due date, or null to remove it.")})
        return attrs


# ILT sessions


class SessionSerializer(serializers.Serializer):  # pylint: disable=abstract-method
    """
    An ILT session of the course.
    """

    id = serializers.IntegerField()
    course_id = serializers.CharField(source="course_key")
    title = serializers.CharField()
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    location = serializers.CharField(allow_blank=True)
    capacity = serializers.IntegerField(allow_null=True, help_text="Null for unlimited.")
    instructor = serializers.CharField(allow_null=True, help_text="Username of the instructor.")
    seats_taken = serializers.IntegerField()
    is_past = serializers.BooleanField()
    within_retroactive_window = serializers.BooleanField()


SessionsSerializer = results_serializer("Sessions", SessionSerializer, "The course's ILT sessions in start order.")


class SessionInputSerializer(serializers.Serializer):  # pylint: disable=abstract-method
    """
    The fields of a new ILT session, or (PATCH) those to change.
    """

    title = serializers.CharField()
    start = serializers.DateTimeField()
    end = serializers.DateTimeField()
    location = serializers.CharField(required=False, allow_blank=True)
    capacity = serializers.IntegerField(required=False, allow_null=True, max_value=MAX_CAPACITY)
    instructor = serializers.CharField(required=False, allow_null=True, allow_blank=True)


class SessionIdSerializer(serializers.Serializer):  # pylint: disable=abstract-method
    """
    The session id of a session's URL.
    """

    session_id = serializers.IntegerField(min_value=1, max_value=MAX_ID)


# Course settings


def _reminder_days(**kwargs):
    return serializers.ListField(
        child=serializers.IntegerField(min_value=1, max_value=365),
        max_length=5,
        help_text="Days before the due date on which required learners who have not completed are reminded.",
        **kwargs,
    )


class CourseSettingsSerializer(serializers.Serializer):  # pylint: disable=abstract-method
    """
    The course's kind, the credits it awards on completion and whether removing a learner needs a
    reason; its title, and the statuses and mass
    actions its kind has, read-only.
    """

    course_id = serializers.CharField(source="course_key")
    title = serializers.CharField(read_only=True)
    kind = serializers.ChoiceField(choices=_choices(CourseKind))
    credits = _credits()
    removal_reason_required = serializers.BooleanField()
    reminder_days = _reminder_days()
    overdue_notice = serializers.BooleanField(help_text="An overdue notice goes the day after the due date.")
    statuses = serializers.ListField(child=serializers.ChoiceField(choices=_choices(LearnerStatus)), read_only=True)
    mass_actions = serializers.ListField(child=serializers.ChoiceField(choices=_choices(MassAction)), read_only=True)


class CourseSettingsInputSerializer(serializers.Serializer):  # pylint: disable=abstract-method
    """
    The settings to change.
    """

    kind = serializers.ChoiceField(choices=_choices(CourseKind), required=False)
    credits = _credits(required=False)
    removal_reason_required = serializers.BooleanField(required=False)
    reminder_days = _reminder_days(required=False)
    overdue_notice = serializers.BooleanField(required=False)
