"""
Every string the Learner Management page's scripts show, translated for the request.

The page's markup translates its own strings; the scripts get these as JSON in the page's
configuration, so that ``makemessages`` finds them here. ``{name}`` placeholders are filled in by the
scripts; phrasing avoids plural forms, which the scripts cannot choose.
"""

from django.utils.translation import gettext as _

from .. import rules
from ..conf import app_settings
from ..data import Action, AttemptCloseReason, HistoryKind, LearnerStatus, MassAction, SeatState


def status_labels() -> dict:
    """
    The label of each status as a filter chip ("In progress (XX% Completed)" for any percentage).
    """
    return {status.value: rules.status_filter_label(status) for status in LearnerStatus}


def action_labels() -> dict:
    """
    The 3-dot menu's label of each action, in the seed's words.
    """
    return {
        Action.UPDATE_DUE_DATE.value: _("Update/Add Course Due Date"),
        Action.RESET_PROGRESS.value: _("Reset progress"),
        Action.VIEW_HISTORY.value: _("View History"),
        Action.MARK_COMPLETE.value: _("Mark as Complete"),
        Action.CHANGE_SESSION.value: _("Change/Add to Session"),
        Action.MARK_NO_SHOW.value: _("Mark as No Show"),
        Action.VIEW_SCORM_ACTIVITY.value: _("View SCORM/xAPI Activity"),
        Action.VIEW_CHAPTER_INSIGHTS.value: _("View Chapter Insights"),
        Action.VIEW_QUIZ_INSIGHTS.value: _("View Quiz Insights"),
        Action.MAKE_INSTRUCTOR.value: _("Make Instructor"),
        Action.VIEW_CERTIFICATE.value: _("View Certificate"),
        # One entry serves both, as the seed has it: the menu holds whichever applies.
        Action.GENERATE_CERTIFICATE.value: _("Remove/Generate Certificate"),
        Action.REMOVE_CERTIFICATE.value: _("Remove/Generate Certificate"),
        Action.UNASSIGN.value: _("Unassign User"),
        Action.REMOVE.value: _("Remove User"),
    }


def instructor_role_label() -> str:
    """
    The name of the course role "Make Instructor" grants (``LEARNER_MGMT_INSTRUCTOR_ROLE``), as the
    instructor dashboard's membership lists call it.
    """
    labels = {"instructor": _("Instructor (Course Admin)"), "staff": _("Staff")}
    return labels.get(app_settings.INSTRUCTOR_ROLE, app_settings.INSTRUCTOR_ROLE)


def mass_action_labels() -> dict:
    """
    The action bar's label of each mass action.
    """
    return {action.value: rules.mass_action_label(action) for action in MassAction}


def mass_action_hints(is_ilt: bool) -> dict:
    """
    What each mass action does to the learners it applies to, said before it is confirmed.
    """
    return {
        MassAction.UPDATE_DUE_DATE.value: _(
            "A due date makes the course required for them; removing it makes the course optional. No one is notified."
        ),
        MassAction.RESET_PROGRESS.value: _(
            "Their current attempt is closed and kept in their history; they start again, Not Started."
        ),
        MassAction.MARK_COMPLETE.value: _(
            "They are completed as if they had finished the course, with its certificate and credits."
        ),
        MassAction.MARK_INCOMPLETE.value: (
            _(
                "Learners seated in a session (Enrolled) or Completed are marked incomplete in their session: a "
                "completion is reverted with the certificate and credits it earned, their attempt closes and "
                "stays in their history, and they are Not Started, free to be seated again."
            )
            if is_ilt
            else _("Their completion is reverted and the certificate and credits it earned are revoked.")
        ),
        MassAction.REMOVE.value: (
            _("Choose what to remove them from.") if is_ilt else _("They are removed from the course.")
        ),
        MassAction.CHANGE_SESSION.value: _(
            "Learners without a session are added to it; learners in another session are moved."
        ),
    }


def _history_kinds() -> dict:
    return {kind.value: rules.history_label(kind) for kind in HistoryKind}


def _seat_states() -> dict:
    return {
        SeatState.ENROLLED.value: _("Enrolled"),
        SeatState.ATTENDED.value: _("Attended"),
        SeatState.INCOMPLETE.value: _("Incomplete"),
        SeatState.NO_SHOW.value: _("No-show"),
        SeatState.REMOVED.value: _("Removed"),
        SeatState.CANCELLED.value: _("Cancelled"),
    }


def js_strings() -> dict:
    """
    The scripts' strings, by the name the scripts use.
    """
    return {
        "actionLabels": action_labels(),
        "historyKinds": _history_kinds(),
        "seatStates": _seat_states(),
        "closeReasons": {
            AttemptCloseReason.RESET.value: _("progress reset"),
            AttemptCloseReason.REASSIGNED.value: _("re-assigned"),
            AttemptCloseReason.UNASSIGNED.value: _("unassigned"),
            AttemptCloseReason.NO_SHOW.value: _("no-show"),
            AttemptCloseReason.INCOMPLETE.value: _("incomplete in the session"),
        },
        # Common
        "actions": _("Actions"),
        "back": _("Back"),
        "cancel": _("Cancel"),
        "close": _("Close"),
        "closeDialog": _("Close dialog"),
        "delete": _("Delete"),
        "done": _("Done"),
        "edit": _("Edit"),
        "save": _("Save"),
        "none": _("none"),
        "optionalField": _("(optional)"),
        "requiredByCourse": _("(required in this course)"),
        "reasonHint": _("Kept in the learner's history and the course's audit trail."),
        "reasonMissing": _("This course asks for a reason before a learner is removed from it."),
        "reasonLabel": _("Reason:"),
        "percent": _("{value}%"),
        "networkError": _("The server could not be reached. Check your connection and try again."),
        "unexpectedError": _("Something went wrong. Try again, or reload the page."),
        "jobFailed": _("The job stopped before it was done."),
        # The list
        "allLearners": _("All"),
        "noLearners": _("No learners are assigned this course yet. Use Assign Course to add some."),
        "noMatches": _("No learners match these filters."),
        "selectLearner": _("Select {name}"),
        "actionsFor": _("Actions for {name}"),
        "employeeId": _("ID {id}"),
        "required": _("Required"),
        "optional": _("Optional"),
        "overdue": _("Overdue"),
        "noDueDate": _("No due date"),
        "retroactive": _("Retroactive"),
        "showingRange": _("Showing {first}–{last} of {count}"),
        "pageOf": _("Page {page} of {pages}"),
        # The summary above the list
        "summaryLearners": _("Learners"),
        "summaryRequired": _("Required"),
        "summaryOptional": _("Optional"),
        "summaryOverdue": _("Overdue"),
        "summaryCompletionRate": _("of required learners completed ({completed} of {required})"),
        "summaryShow": _("Show these learners"),
        "summaryChartTitle": _("Completions per week, last {weeks} weeks"),
        "summaryWeekBar": _("Week of {week}: {count} completions"),
        "summaryWeek": _("Week of"),
        "summaryCompletions": _("Completions"),
        # Selection and mass actions
        "selectedCount": _("Learners selected: {count}"),
        "pageSelected": _("All {count} learners on this page are selected."),
        "selectAllMatching": _("Select all {count} learners that match"),
        "allMatchingSelected": _("All {count} learners that match the filters are selected."),
        "selectionCleared": _("Selection cleared."),
        "massConfirm": _("This applies to the selected learners: {count}."),
        "massSkipNote": _(
            "Learners this action does not apply to are skipped and listed in the report, with the reason."
        ),
        "massApply": _("{action} ({count})"),
        "massRunning": _("{action} for {count} learners is running in the background."),
        "runInBackground": _("Close and keep running"),
        "massReportTitle": _("{action}: report"),
        "massSummary": _("{action}: done {done}, skipped {skipped}, failed {failed}."),
        "massDoneFor": _("Done for {names}."),
        "massDoneMore": _("Learners done but not listed here: {count}."),
        "andMore": _("{names} and {count} more"),
        "doneLabel": _("Done"),
        "skipped": _("Skipped"),
        "failed": _("Failed"),
        "username": _("Username"),
        "reason": _("Reason"),
        "progress": _("Progress"),
        "jobQueued": _("Waiting to start…"),
        "jobProgress": _("Step {done} of {total} done"),
        # Per-learner actions
        "dueDate": _("Due date"),
        "dueDateAddTitle": _("Add a due date for {name}"),
        "dueDateUpdateTitle": _("Update the due date of {name}"),
        "dueDateHint": _(
            "A due date makes the course required for this learner; removing it makes the course optional. "
            "The learner is not notified."
        ),
        "dueDateMissing": _("Choose a due date."),
        "dueDatePast": _("The due date cannot be in the past."),
        "dueDateRemove": _("Remove due date"),
        "dueDateDone": _("Due date of {name} updated."),
        "dueDateSet": _("Set a date"),
        "dueDateClear": _("Remove it"),
        "dueDateNew": _("New due date"),
        "resetTitle": _("Reset the progress of {name}?"),
        "resetMessage": _(
            "The progress of {name}'s latest attempt is reset and the course returns to Not Started. "
            "The attempt stays in their history."
        ),
        "resetConfirm": _("Reset progress"),
        "resetDone": _("Progress of {name} reset."),
        "completeTitle": _("Mark {name} as complete?"),
        "completeMessage": _(
            "{name} is marked as having completed the course and gets its certificates and credits, as if "
            "they had completed it on their own."
        ),
        "completeConfirm": _("Mark as complete"),
        "completeDone": _("{name} marked as complete."),
        "instructorTitle": _("Make {name} an instructor?"),
        "instructorMessage": _("{name} gets the {role} role in this course, with its permissions.").replace(
            "{role}", instructor_role_label()
        ),
        "instructorConfirm": _("Make instructor"),
        "instructorDone": _("{name} now holds the {role} role in this course.").replace(
            "{role}", instructor_role_label()
        ),
        "certificateTitle": _("Generate the certificate of {name}?"),
        "certificateMessage": _(
            "The LMS is asked for the certificate of {name}'s latest attempt. Their progress is unchanged."
        ),
        "certificateConfirm": _("Generate certificate"),
        "certificateDone": _("Certificate of {name} generated."),
        "removeCertificateTitle": _("Remove the certificate of {name}?"),
        "removeCertificateMessage": _(
            "The certificate of {name}'s latest attempt is removed. Their progress is unchanged."
        ),
        "removeCertificateConfirm": _("Remove certificate"),
        "removeCertificateDone": _("Certificate of {name} removed."),
        "unassignTitle": _("Unassign {name}?"),
        "unassignMessage": _(
            "The progress of {name}'s latest attempt is lost and the course leaves their list of courses. "
            "Their history is kept."
        ),
        "unassignConfirm": _("Unassign"),
        "unassignDone": _("{name} unassigned."),
        "removeTitle": _("Remove {name}?"),
        "removeScope": _("Remove the learner from"),
        "scopeCourse": _("The course"),
        "scopeCourseHint": _("Deletes all of their data in this course."),
        "scopeSession": _("Their session only"),
        "scopeSessionHint": _("They stay assigned the course and can join another session."),
        "scopeBoth": _("The session and the course"),
        "scopeBothHint": _("Deletes their seat and all of their data in this course."),
        "cannotBeUndone": _("This cannot be undone."),
        "removeWarning": _(
            "Removing a learner from the course permanently deletes all of their data in it: assignment, "
            "progress, sessions and history. It CANNOT be recovered."
        ),
        "removeConfirm": _("Remove"),
        "removeDone": _("{name} removed."),
        "changeSessionTitle": _("Change the session of {name}"),
        "addSessionTitle": _("Add {name} to a session"),
        "changeSessionConfirm": _("Change session"),
        "addSessionConfirm": _("Add to session"),
        "currentSession": _("Current session: {title}, {when}"),
        "chooseSession": _("Choose a session."),
        "sessionDone": _("Session of {name} updated."),
        "noShowTitle": _("Mark {name} as a no-show?"),
        "noShowMessage": _(
            "{name} is taken out of {session} and the course returns to Not Started, so that they can join "
            "another session: their current attempt closes and stays in their history with what they did in "
            "it, their progress in the course starts again from zero, and Change/Add to Session is in their "
            "menu."
        ),
        "privateMessage": _("Private message to the learner"),
        "privateMessageHint": _("Sent to the learner only, for example with what to do next."),
        "noShowConfirm": _("Mark as no-show"),
        "noShowDone": _("{name} marked as a no-show."),
        # Session choices
        "upcomingSessions": _("Upcoming and current sessions"),
        "recentPastSessions": _("Recent past sessions (retroactive)"),
        "recentPastNote": _(
            "These sessions have ended. Seating a learner in one records attendance after the fact; the "
            "seat is flagged retroactive."
        ),
        "olderSessionsNote": _("Sessions that ended longer ago are past the retroactive window and not offered."),
        "noSessionsInGroup": _("None."),
        "seatsOf": _("{taken} of {capacity} seats taken"),
        "seatsUnlimited": _("{taken} seats taken, no limit"),
        "currentSessionTag": _("Current session"),
        "full": _("Full"),
        # Views of a learner
        "historyTitle": _("History of {name}"),
        "sessionsAttended": _("Sessions"),
        "session": _("Session"),
        "date": _("Date"),
        "seatState": _("Attendance"),
        "attempts": _("Attempts"),
        "attempt": _("Attempt"),
        "started": _("Started"),
        "completedAt": _("Completed"),
        "certificate": _("Certificate"),
        "viewCertificate": _("View certificate (opens in a new tab)"),
        "closed": _("Closed"),
        "closedBecause": _("Closed: {reason}"),
        "events": _("Events"),
        "noEvents": _("No events yet."),
        "byActor": _("by {actor}"),
        "attemptNumber": _("attempt {number}"),
        "detailSession": _("Session: {title}"),
        "detailDueDate": _("Due date: {from} → {to}"),
        "termsUnchangedEvent": _("Terms unchanged"),
        "detailRole": _("Role: {role}"),
        "detailReminder": _("{days} days before the due date, {date}"),
        "detailOverdueNotice": _("The due date, {date}, has passed"),
        "lastReminder": _("Reminded {date}"),
        "reminderDaysInvalid": _("Give the reminder days as whole numbers from 1 to 365, separated by commas."),
        "chaptersTitle": _("Chapter insights: {name}"),
        "chapter": _("Chapter"),
        "noChapters": _("This course has no chapters."),
        "quizzesTitle": _("Quiz insights: {name}"),
        "quizScore": _("Score: {score}%"),
        "quizNotScored": _("Not scored yet"),
        "quizAttempts": _("Attempts: {count}"),
        "question": _("Question"),
        "answer": _("Answer"),
        "result": _("Result"),
        "correct": _("Correct"),
        "incorrect": _("Incorrect"),
        "notAnswered": _("Not answered"),
        "noQuizzes": _("This course has no quiz chapters."),
        "exportXlsx": _("Export to Excel (.xlsx)"),
        "scormTitle": _("SCORM/xAPI activity: {name}"),
        "time": _("Time"),
        "verb": _("Verb"),
        "object": _("Activity"),
        "noScorm": _("No SCORM/xAPI activity recorded."),
        # Assigning
        "assignTitle": _("Add Users"),
        "users": _("Users"),
        "userSearchHint": _(
            "Search by name, username, email or employee ID; or type emails, usernames or employee IDs and press Enter."
        ),
        "matchingUsers": _("Matching users"),
        "selectedUsers": _("Selected users"),
        "removeUser": _("Remove {name}"),
        "usersChosen": _("Users selected: {count}"),
        "usersFound": _("Users found: {count}. Use the arrow keys to choose."),
        "noUsersFound": _("No users found."),
        "chooseUsers": _("Choose at least one user."),
        "assignmentType": _("Assignment"),
        "personalMessage": _("Personal message"),
        "personalMessageHint": _("Sent to learners newly assigned or re-assigned the course."),
        "termsKeptHint": _(
            "Learners assigned already keep the due date and the message you leave empty; the review shows what "
            "changes for them."
        ),
        "review": _("Review"),
        "importLink": _("Import"),
        "importLinkHint": _("Import users from a CSV file"),
        "reviewTitle": _("Review Assignment"),
        "reviewIntro": _(
            "Check where each selected user stands in this course, and the terms they will have, before assigning it."
        ),
        "termsHeading": _("Terms"),
        "termsDue": _("{kind} · due {date}"),
        "termsKept": _("Unchanged: {terms}"),
        "termsChanging": _("Changes to the current terms"),
        "termChange": _("{term}: {from} → {to}"),
        "termsWillChange": _(
            "Learners assigned already whose terms change: {count}. The Terms column shows what changes."
        ),
        "learner": _("Learner"),
        "employeeIdHeading": _("Employee ID"),
        "courseState": _("In this course"),
        "notAssigned": _("Not assigned"),
        "stateAssigned": _("Assigned · {status}"),
        "stateAssignedPlain": _("Assigned"),
        "stateCompleted": _("Completed"),
        "nobodyToAssign": _("None of the selected users can be assigned the course."),
        "cannotAssign": _("These cannot be assigned:"),
        "notFound": _("Not found"),
        "deactivated": _("Deactivated"),
        "ambiguous": _("Names more than one user"),
        "skipCompleted": _("Skip users who have already completed the course"),
        "skipCompletedHint": _(
            "Unchecked, users who have completed the course are assigned it again and start a new attempt."
        ),
        "assign": _("Assign"),
        "assignedTitle": _("Course assigned"),
        "newlyAssigned": _("Newly assigned"),
        "reassigned": _("Re-assigned (new attempt)"),
        "typeMore": _("Type at least {count} characters to search."),
        "reassignedRows": _("Had completed the course: re-assigned on a new attempt"),
        "rowInFile": _("Row (heading is row 1)"),
        "updated": _("Assignment updated"),
        "identifier": _("User"),
        "assignedSummary": _("Assigned: {assigned}. Skipped: {skipped}. Failed: {failed}."),
        # Import
        "importTitle": _("Import Users"),
        "importIntro": _(
            "Assign the course to the users listed in a CSV file. Its headings must match those of the "
            "sample CSV, even for columns you do not use."
        ),
        "sampleCsv": _("Download the sample CSV"),
        "csvFile": _("CSV file"),
        "chooseFile": _("Choose a CSV file to import."),
        "importAction": _("Import"),
        "importStatusTitle": _("Import Status"),
        "importRunning": _("The file is being imported in the background."),
        "assignRunning": _("The course is being assigned to {count} users in the background."),
        "row": _("Row"),
        "downloadList": _("Download List"),
        # Sessions
        "noSessions": _("No sessions yet. Add one to seat learners in it."),
        "when": _("When"),
        "location": _("Location"),
        "locationHint": _("A place, or the link of an online session."),
        "instructor": _("Instructor"),
        "instructorHint": _("Username of the instructor (optional)."),
        "seats": _("Seats"),
        "sessionState": _("State"),
        "upcoming": _("Scheduled"),
        "recentPast": _("Recent past"),
        "closedSession": _("Closed"),
        "addSession": _("Add session"),
        "editSession": _("Edit {title}"),
        "deleteSession": _("Delete {title}"),
        "deleteSessionMessage": _("The session is deleted. Sessions that ever had learners cannot be deleted."),
        "sessionTitle": _("Title"),
        "starts": _("Starts"),
        "ends": _("Ends"),
        "sessionTimeZone": _("Times are in your time zone, {zone}."),
        "capacity": _("Capacity"),
        "capacityHint": _("Leave empty for no limit."),
        "sessionAdded": _("Session {title} added."),
        "sessionSaved": _("Session {title} saved."),
        "sessionDeleted": _("Session {title} deleted."),
        # Settings
        "settingsSaved": _("Settings saved."),
        "exportTitle": _("Export learners"),
        "exportRunning": _(
            "Exporting {count} learners. You can close this dialog: the file downloads when it is ready."
        ),
        "exportReady": _("{filename} is ready and downloading."),
        "exportDownloadAgain": _("Download it again"),
        "auditDatesReversed": _("The end date is before the start date."),
        "creditsOnCompletion": _("{credits} credits on completion"),
    }
