"""
Finding users by email, username or employee ID, and keeping the plugin's learner directory.

Lookups are set-based: a batch of identifiers costs a fixed number of queries whatever its size.
"""

from __future__ import annotations

from collections import defaultdict

import attr
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db.models.functions import Lower

from .conf import app_settings
from .models import Learner

_USER_FIELDS = ("pk", "username", "email", "is_active")


@attr.s(frozen=True, auto_attribs=True)
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
            for user in _users(user_model.objects.filter(email__in=emails)):
                by_email[user.email.lower()].append(user)
            # Case-insensitive lookup only for what the exact one missed: it cannot use the index.
            missed = {email.lower() for email in emails} - set(by_email)
            if missed:
                queryset = user_model.objects.annotate(email_lower=Lower("email")).filter(email_lower__in=missed)
                for user in _users(queryset):
                    if user not in by_email[user.email.lower()]:
                        by_email[user.email.lower()].append(user)
        by_username = {}
        if usernames:
            by_username = {user.username: user for user in _users(user_model.objects.filter(username__in=usernames))}
        by_employee_id = {}
        if employee_ids:
            model, field, user_field = _employee_id_source()
            owners = dict(model.objects.filter(**{f"{field}__in": employee_ids}).values_list(field, user_field))
            users = {user.id: user for user in _users(user_model.objects.filter(pk__in=set(owners.values())))}
            by_employee_id = {eid: users[uid] for eid, uid in owners.items() if uid in users}
        return cls(dict(by_email), by_username, by_employee_id)

    @staticmethod
    def by_ids(user_ids) -> list[DirectoryUser]:
        """
        The users with these ids (one query).
        """
        return _users(get_user_model().objects.filter(pk__in=list(user_ids)))

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
        model.objects.filter(**{f"{user_field}__in": set(user_ids), f"{field}__isnull": False}).values_list(
            user_field, field
        )
    )


def ensure_learners(host, user_ids) -> None:
    """
    Make sure every user has a learner directory entry, with the host's current display name and,
    when employee IDs come from a host model, their employee ID: a fixed number of queries.
    """
    user_ids = set(user_ids)
    if not user_ids:
        return
    existing = {
        row[0]: row[1:] for row in Learner.objects.filter(pk__in=user_ids).values_list("pk", "name", "employee_id")
    }
    names = host.full_names(user_ids)
    employee_ids = employee_ids_of(user_ids) if app_settings.EMPLOYEE_ID_SOURCE != "plugin" else None

    created, changed = [], []
    for user_id in user_ids:
        current_name, current_employee_id = existing.get(user_id, ("", None))
        name = names.get(user_id) or current_name
        employee_id = current_employee_id if employee_ids is None else employee_ids.get(user_id)
        learner = Learner(user_id=user_id, name=name, employee_id=employee_id)
        if user_id not in existing:
            created.append(learner)
        elif (name, employee_id) != existing[user_id]:
            changed.append(learner)
    Learner.objects.bulk_create(created, ignore_conflicts=True, batch_size=1000)
    Learner.objects.bulk_update(changed, ["name", "employee_id"], batch_size=1000)
