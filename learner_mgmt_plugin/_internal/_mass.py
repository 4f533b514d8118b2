"""
Mass actions (SPEC section 6): one action over many selected learners, each checked against the
action matrix, applied set-based one chunk at a time.
"""

from __future__ import annotations

import attr
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import rules
from ..data import Action, MassAction, RemoveScope, SkippedLearner
from ..exceptions import ConfirmationRequired, InvalidInput
from . import _actions
from ._course import CourseContext, load_states, split_by_rules
from ._recording import ChangeLog

# The action each mass action applies, as the matrix knows it, and the function that applies it.
_APPLIERS = {
    MassAction.UPDATE_DUE_DATE: (Action.UPDATE_DUE_DATE, _actions.update_due_date),
    MassAction.RESET_PROGRESS: (Action.RESET_PROGRESS, _actions.reset_progress),
    MassAction.MARK_COMPLETE: (Action.MARK_COMPLETE, _actions.mark_complete),
    MassAction.MARK_INCOMPLETE: (Action.MARK_INCOMPLETE, _actions.mark_incomplete),
    MassAction.REMOVE: (Action.REMOVE, _actions.remove),
    MassAction.CHANGE_SESSION: (Action.CHANGE_SESSION, _actions.change_session),
}


@attr.s(frozen=True, auto_attribs=True)
class MassPlan:
    """
    A validated mass action: what to apply, with which parameters, and the reason given for it.
    """

    action: MassAction
    params: dict
    reason: str = ""


def plan_mass_action(
    ctx: CourseContext, action, *, scope=None, session_id=None, due_date=None, confirm=False, reason="", today
) -> MassPlan:
    """
    Check that the mass action exists for this course kind and has the parameters it needs (a due
    date from ``today``, the day the action was asked for, and a reason where the course requires one).
    """
    try:
        action = MassAction(action)
    except ValueError as error:
        choices = ", ".join(member.value for member in MassAction)
        raise InvalidInput(
            "action", _("Unknown mass action '{action}'; use one of: {choices}.").format(action=action, choices=choices)
        ) from error
    if Action(action.value) not in rules.MASS_ACTIONS_BY_KIND[ctx.kind]:
        raise InvalidInput("action", _("'{action}' is only available in instructor-led courses.").format(action=action))
    params = {}
    if action == MassAction.REMOVE:
        try:
            scope = RemoveScope(scope)
        except ValueError as error:
            raise InvalidInput("scope", _("Say what to remove: 'course', 'session' or 'both'.")) from error
        if scope != RemoveScope.COURSE and not ctx.is_ilt:
            raise InvalidInput("scope", _("Only instructor-led courses have sessions to remove learners from."))
        if scope != RemoveScope.SESSION and confirm is not True:
            raise ConfirmationRequired(
                _(
                    "Removing learners from the course deletes all their data in it and cannot be undone; "
                    "confirm to go ahead."
                )
            )
        params["scope"] = scope
    if action == MassAction.CHANGE_SESSION:
        if session_id is None or isinstance(session_id, bool) or not isinstance(session_id, int):
            raise InvalidInput("session_id", _("Choose the session to seat the learners in."))
        _actions.seatable_session(ctx, session_id, timezone.now(), lock=False)
        params["session_id"] = session_id
    if action == MassAction.UPDATE_DUE_DATE:
        _actions.check_due_date(due_date, today)
        params["due_date"] = due_date
    return MassPlan(action, params, _actions.check_reason(ctx, reason, scope=params.get("scope")))


def clean_usernames(usernames) -> list[str]:
    """
    The selected usernames without repeats, in the order given.
    """
    if not isinstance(usernames, (list, tuple)) or not all(isinstance(name, str) for name in usernames):
        raise InvalidInput("users", _("Give the selected learners as a list of usernames."))
    return list(dict.fromkeys(name.strip() for name in usernames if name.strip()))


def apply_chunk(ctx: CourseContext, plan: MassPlan, usernames: list[str], *, actor_id, now):
    """
    Apply the mass action to one chunk of learners in one transaction: (done, skipped, failed), the
    learners done as (username, name).
    """
    matrix_action, apply = _APPLIERS[plan.action]
    with transaction.atomic():
        states = load_states(ctx, Q(learner__user__username__in=usernames), lock=True)
        listed = {state.username for state in states}
        failed = [SkippedLearner(name, _("Not a learner of this course.")) for name in usernames if name not in listed]
        allowed, refused = split_by_rules(ctx, states, matrix_action)
        skipped = [
            SkippedLearner(
                state.username, rules.mass_skip_reason(plan.action, state.status, state.attempt.progress), state.name
            )
            for state, _allowed in refused
        ]
        log = ChangeLog(ctx.course_key, actor_id, plan.reason)
        left_alone = apply(ctx, allowed, log, now=now, **plan.params) if allowed else []
        log.save()
    skipped += [SkippedLearner(skip.state.username, skip.reason, skip.state.name) for skip in left_alone]
    untouched = {skip.state.username for skip in left_alone}
    done = [(state.username, state.name) for state in allowed if state.username not in untouched]
    return done, skipped, failed
