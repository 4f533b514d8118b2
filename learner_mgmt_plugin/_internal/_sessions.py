"""
ILT sessions and the plugin's per-course settings.
"""

from __future__ import annotations

import datetime
from decimal import Decimal, InvalidOperation

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import rules
from ..conf import app_settings
from ..data import CourseKind, CourseSettings, MassAction, SessionInfo
from ..exceptions import Conflict, InvalidInput, SessionNotFound
from ..models import Assignment, CourseConfig, IltSession, Seat
from ._course import CourseContext, refresh_statuses

_SESSION_FIELDS = ("title", "start", "end", "location", "capacity", "instructor")


def _session_info(session: IltSession, seats_taken: int, now) -> SessionInfo:
    return SessionInfo(
        id=session.pk,
        course_key=str(session.course_key),
        title=session.title,
        start=session.start,
        end=session.end,
        location=session.location,
        capacity=session.capacity,
        instructor=session.instructor.username if session.instructor_id else None,
        seats_taken=seats_taken,
        is_past=session.end < now,
        within_retroactive_window=session.end >= now - datetime.timedelta(days=app_settings.RETROACTIVE_DAYS),
    )


def _with_seats_taken(queryset):
    return queryset.select_related("instructor").annotate(taken=Count("seats", filter=Q(seats__current=True)))


def list_sessions(ctx: CourseContext) -> list[SessionInfo]:
    """
    The course's sessions in start order, with the seats taken in each.
    """
    now = timezone.now()
    sessions = _with_seats_taken(IltSession.objects.filter(course_key=ctx.course_key)).order_by("start", "pk")
    return [_session_info(session, session.taken, now) for session in sessions]


def get_session(ctx: CourseContext, session_id) -> SessionInfo:
    """
    One of the course's sessions; SessionNotFound if it has no such session.
    """
    session = _with_seats_taken(IltSession.objects.filter(course_key=ctx.course_key, pk=session_id)).first()
    if session is None:
        raise SessionNotFound(f"This course has no session {session_id}.")
    return _session_info(session, session.taken, timezone.now())


def _clean(values: dict, current: IltSession | None) -> dict:
    """
    Validate session fields (all of them for a new session, those given for a change).
    """
    unknown = set(values) - set(_SESSION_FIELDS)
    if unknown:
        raise InvalidInput(sorted(unknown)[0], _("Sessions have no field '{field}'.").format(field=sorted(unknown)[0]))
    cleaned = {}
    if "title" in values or current is None:
        title = values.get("title")
        if not isinstance(title, str) or not title.strip() or len(title.strip()) > 255:
            raise InvalidInput("title", _("A session needs a title of at most 255 characters."))
        cleaned["title"] = title.strip()
    for field in ("start", "end"):
        if field in values or current is None:
            moment = values.get(field)
            if not isinstance(moment, datetime.datetime):
                raise InvalidInput(field, _("'{field}' must be a date and time.").format(field=field))
            cleaned[field] = timezone.make_aware(moment) if timezone.is_naive(moment) else moment
    start = cleaned.get("start", current.start if current else None)
    end = cleaned.get("end", current.end if current else None)
    if end < start:
        raise InvalidInput("end", _("A session cannot end before it starts."))
    if "location" in values:
        location = values["location"] or ""
        if not isinstance(location, str) or len(location) > 500:
            raise InvalidInput("location", _("The location must be text of at most 500 characters."))
        cleaned["location"] = location.strip()
    if "capacity" in values:
        capacity = values["capacity"]
        if capacity is not None and (isinstance(capacity, bool) or not isinstance(capacity, int) or capacity < 1):
            raise InvalidInput(
                "capacity", _("The capacity must be a whole number of at least 1, or empty for unlimited.")
            )
        cleaned["capacity"] = capacity
    if "instructor" in values:
        username = values["instructor"]
        if username in (None, ""):
            cleaned["instructor"] = None
        else:
            instructor = get_user_model().objects.filter(username=username, is_active=True).first()
            if instructor is None:
                raise InvalidInput("instructor", _("There is no active user '{username}'.").format(username=username))
            cleaned["instructor"] = instructor
    return cleaned


def create_session(ctx: CourseContext, values: dict) -> SessionInfo:
    """
    Add a session to the course.
    """
    session = IltSession.objects.create(course_key=ctx.course_key, **_clean(values, None))
    return get_session(ctx, session.pk)


def update_session(ctx: CourseContext, session_id, values: dict) -> SessionInfo:
    """
    Change a session; its capacity cannot drop below the seats already taken.
    """
    with transaction.atomic():
        session = IltSession.objects.select_for_update().filter(course_key=ctx.course_key, pk=session_id).first()
        if session is None:
            raise SessionNotFound(f"This course has no session {session_id}.")
        cleaned = _clean(values, session)
        taken = Seat.objects.filter(session=session, current=True).count()
        if cleaned.get("capacity") is not None and cleaned["capacity"] < taken:
            raise Conflict(
                _("{taken} learners are seated in this session; the capacity cannot be lower.").format(taken=taken)
            )
        for field, value in cleaned.items():
            setattr(session, field, value)
        session.save()
    return get_session(ctx, session.pk)


def delete_session(ctx: CourseContext, session_id) -> None:
    """
    Delete a session that has never had a seat; seat records are attendance history and are kept.
    """
    with transaction.atomic():
        session = IltSession.objects.select_for_update().filter(course_key=ctx.course_key, pk=session_id).first()
        if session is None:
            raise SessionNotFound(f"This course has no session {session_id}.")
        seats = Seat.objects.filter(session=session).count()
        if seats:
            raise Conflict(
                _("This session has {count} seat records (attendance history); it cannot be deleted.").format(
                    count=seats
                )
            )
        session.delete()


def course_settings(ctx: CourseContext) -> CourseSettings:
    """
    The course's kind and credits (defaults when never configured).
    """
    return CourseSettings(
        course_key=str(ctx.course_key),
        title=ctx.outline.title,
        kind=ctx.kind,
        credits=ctx.credits,
        removal_reason_required=ctx.removal_reason_required,
        reminder_days=ctx.reminder_days,
        overdue_notice=ctx.overdue_notice,
        statuses=rules.STATUSES_BY_KIND[ctx.kind],
        mass_actions=tuple(MassAction(action.value) for action in rules.MASS_ACTIONS_BY_KIND[ctx.kind]),
    )


MAX_REMINDERS = 5
MAX_REMINDER_DAYS = 365


def _reminder_days(days) -> list[int]:
    """
    The days before the due date to remind learners on, without repeats, largest first.
    """
    if not isinstance(days, (list, tuple)) or any(isinstance(day, bool) or not isinstance(day, int) for day in days):
        raise InvalidInput("reminder_days", _("Give the reminder days as a list of whole numbers of days."))
    days = sorted(set(days), reverse=True)
    if any(not 1 <= day <= MAX_REMINDER_DAYS for day in days):
        raise InvalidInput(
            "reminder_days",
            _("A reminder goes between 1 and {most} days before the due date.").format(most=MAX_REMINDER_DAYS),
        )
    if len(days) > MAX_REMINDERS:
        raise InvalidInput("reminder_days", _("Give at most {count} reminders.").format(count=MAX_REMINDERS))
    return days


def update_course_settings(
    ctx: CourseContext,
    *,
    kind=None,
    credits=None,
    removal_reason_required=None,
    reminder_days=None,
    overdue_notice=None,
) -> CourseSettings:
    """
    Change the course's kind, credits, removal reason rule or reminders. A new kind re-derives every
    learner's status, since an ILT seat only counts in ILT courses.
    """
    changes = {}
    if kind is not None:
        try:
            changes["kind"] = CourseKind(kind).value
        except ValueError as error:
            raise InvalidInput("kind", _("The course kind must be 'self_paced' or 'ilt'.")) from error
    if credits is not None:
        try:
            credits = Decimal(str(credits))
        except InvalidOperation as error:
            raise InvalidInput("credits", _("Credits must be a number.")) from error
        if not credits.is_finite() or credits < 0 or credits >= 10000 or credits != credits.quantize(Decimal("0.01")):
            raise InvalidInput("credits", _("Credits must be between 0 and 9999.99, with at most two decimals."))
        changes["credits"] = credits
    if removal_reason_required is not None:
        if not isinstance(removal_reason_required, bool):
            raise InvalidInput(
                "removal_reason_required", _("Say true or false: does removing a learner need a reason?")
            )
        changes["removal_reason_required"] = removal_reason_required
    if reminder_days is not None:
        changes["reminder_days"] = _reminder_days(reminder_days)
    if overdue_notice is not None:
        if not isinstance(overdue_notice, bool):
            raise InvalidInput("overdue_notice", _("Say true or false: is an overdue notice sent?"))
        changes["overdue_notice"] = overdue_notice
    with transaction.atomic():
        config, _created = CourseConfig.objects.select_for_update().get_or_create(course_key=ctx.course_key)
        kind_changed = "kind" in changes and changes["kind"] != config.kind
        for field, value in changes.items():
            setattr(config, field, value)
        config.save()
        updated = ctx.reconfigured(config)
        if kind_changed:
            ids = list(Assignment.objects.filter(course_key=ctx.course_key, active=True).values_list("pk", flat=True))
            for start in range(0, len(ids), app_settings.CHUNK_SIZE):
                refresh_statuses(updated, ids[start : start + app_settings.CHUNK_SIZE])
        # Inside the transaction and without asking the host again: a host failure now would report as
        # failed a change that was made.
        return course_settings(updated)
