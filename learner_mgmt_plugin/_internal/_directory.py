"""
Finding users by email, username or employee ID, and keeping the plugin's learner directory.

Lookups are set-based: a batch of identifiers costs a fixed number of queries whatever its size.
"""

from __future__ import annotations

from collections import defaultdict

import attr
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db import IntegrityError, connection, transaction
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from ..conf import app_settings
from ..exceptions import InvalidInput
from ..models import Assignment, Learner
from ._bulk import IdIn, TextIn, insert_rows

_USER_FIELDS = ("pk", "username", "email", "is_active")


@attr.s(frozen=True, slots=True, auto_attribs=True)
class DirectoryUser:
    """
    A user as identifier lookups see them.
    """

    id: int
    username: str
    email: str
    is_active: bool


def _users(queryset) -> list[DirectoryUser]:
    return [DirectoryUser(*row) for row in queryset.values_list(*_USER_FIELDS)]


def _employee_id_source():
    """
    (model, employee id field, user id field) of the configured source of employee IDs.
    """
    source = app_settings.EMPLOYEE_ID_SOURCE
    if source == "plugin":
        return Learner, "employee_id", "user_id"
    app_label, model_name, field = source.split(".")
    return apps.get_model(app_label, model_name), field, "user_id"


@attr.s(auto_attribs=True)
class Directory:
    """
    Users found for a batch of identifiers: emails (matched without regard to case, several users
    may share one), usernames and employee IDs.
    """

    by_email: dict[str, list[DirectoryUser]]
    by_username: dict[str, DirectoryUser]
    by_employee_id: dict[str, DirectoryUser]

    @classmethod
    def lookup(cls, *, emails=(), usernames=(), employee_ids=()) -> Directory:
        """
        Look every identifier up: at most five queries.
        """
        user_model = get_user_model()
        emails, usernames, employee_ids = set(emails), set(usernames), set(employee_ids)
        by_email = defaultdict(list)
        if emails:
            for user in _users(user_model.objects.filter(TextIn("email", emails))):
                by_email[user.email.lower()].append(user)
            # MySQL's collations already compare without case; elsewhere, look again without case for
            # what the exact lookup missed (a lookup that cannot use the index, so only for those).
            missed = {email.lower() for email in emails} - set(by_email)
            if missed and connection.vendor != "mysql":
                queryset = user_model.objects.annotate(email_lower=Lower("email")).filter(email_lower__in=missed)
                for user in _users(queryset):
                    if user not in by_email[user.email.lower()]:
                        by_email[user.email.lower()].append(user)
        by_username = {}
        if usernames:
            by_username = {
                user.username: user for user in _users(user_model.objects.filter(TextIn("username", usernames)))
            }
        by_employee_id = {}
        if employee_ids:
            model, field, user_field = _employee_id_source()
            owners = dict(model.objects.filter(TextIn(field, employee_ids)).values_list(field, user_field))
            users = {user.id: user for user in _users(user_model.objects.filter(IdIn("pk", owners.values())))}
            by_employee_id = {eid: users[uid] for eid, uid in owners.items() if uid in users}
        return cls(dict(by_email), by_username, by_employee_id)

    @staticmethod
    def by_ids(user_ids) -> list[DirectoryUser]:
        """
        The users with these ids (one query).
        """
        return _users(get_user_model().objects.filter(IdIn("pk", user_ids)))

    def find_email(self, email: str) -> list[DirectoryUser]:
        """
        Users with this email, whatever its case.
        """
        return self.by_email.get(email.strip().lower(), [])


def employee_ids_of(user_ids) -> dict[int, str]:
    """
    The employee IDs of the given users, from the configured source, in one query.
    """
    model, field, user_field = _employee_id_source()
    return dict(
        model.objects.filter(IdIn(user_field, user_ids), **{f"{field}__isnull": False}).values_list(user_field, field)
    )


_IDENTITY = ("name", "last_name", "username", "email", "employee_id")


def last_name(name: str) -> str:
    """
    The last word of a full name: the learner list finds learners by the start of it too.
    """
    words = name.split()
    return words[-1] if words else ""


def ensure_learners(host, user_ids) -> dict[int, str]:
    """
    Make sure every user has a learner directory entry with their current identity: the host's
    display name, their username and email and, when employee IDs come from a host model, their
    employee ID. Returns their names. A fixed number of queries.
    """
    user_ids = set(user_ids)
    if not user_ids:
        return {}
    existing = {row[0]: row[1:] for row in Learner.objects.filter(IdIn("pk", user_ids)).values_list("pk", *_IDENTITY)}
    accounts = {
        row[0]: row[1:]
        for row in get_user_model().objects.filter(IdIn("pk", user_ids)).values_list("pk", "username", "email")
    }
    names = host.full_names(user_ids)
    employee_ids = employee_ids_of(user_ids) if app_settings.EMPLOYEE_ID_SOURCE != "plugin" else None

    created, changed, renamed = [], [], []
    for user_id in sorted(user_ids):  # in key order, so that concurrent inserts wait instead of deadlocking
        current = existing.get(user_id)
        name = names.get(user_id) or (current[0] if current else "")
        employee_id = (current[4] if current else None) if employee_ids is None else employee_ids.get(user_id)
        username, email = accounts.get(user_id, ("", ""))
        identity = (name, last_name(name), username, email, employee_id)
        if current is None:
            created.append((user_id, *identity))
        elif identity != current:
            changed.append(Learner(user_id=user_id, **dict(zip(_IDENTITY, identity))))
            if name != current[0]:
                renamed.append(user_id)
    # Another transaction may have created some of them meanwhile: theirs are as good as ours.
    insert_rows(Learner, ("user", *_IDENTITY), created, ignore_conflicts=True)
    Learner.objects.bulk_update(changed, list(_IDENTITY), batch_size=1000)
    if renamed:
        # The learner list sorts by the copy of the name on each assignment.
        name_now = Learner.objects.filter(pk=OuterRef("learner_id")).values("name")[:1]
        Assignment.objects.filter(IdIn("learner_id", renamed)).update(learner_name=Subquery(name_now))
    return {user_id: names.get(user_id) or existing.get(user_id, ("",))[0] for user_id in user_ids}


def set_employee_ids(host, employee_ids: dict[int, str | None]) -> int:
    """
    Record employee IDs (user id → employee ID, None to clear) in the learner directory; returns how
    many were set. An ID already held by another user is refused and nothing is changed.
    """
    cleaned = {}
    for user_id, employee_id in employee_ids.items():
        employee_id = (employee_id or "").strip() or None
        if employee_id is not None and len(employee_id) > 64:
            raise InvalidInput("employee_id", _("Employee IDs have at most 64 characters."))
        cleaned[user_id] = employee_id
    known = set(get_user_model().objects.filter(pk__in=list(cleaned)).values_list("pk", flat=True))
    if set(cleaned) - known:
        raise InvalidInput("user_id", _("There is no user {user_id}.").format(user_id=sorted(set(cleaned) - known)[0]))
    taken = set(cleaned.values()) - {None}
    if len(taken) < len([value for value in cleaned.values() if value]):
        raise InvalidInput("employee_id", _("The same employee ID is given to more than one user."))
    try:
        with transaction.atomic():
            ensure_learners(host, cleaned)
            # Clear first, so that IDs can move between users within one call.
            Learner.objects.filter(pk__in=list(cleaned)).update(employee_id=None)
            Learner.objects.bulk_update(
                [Learner(user_id=user_id, employee_id=value) for user_id, value in cleaned.items()],
                ["employee_id"],
                batch_size=1000,
            )
    except IntegrityError as error:
        raise InvalidInput("employee_id", _("An employee ID is already held by another user.")) from error
    return len([value for value in cleaned.values() if value])
