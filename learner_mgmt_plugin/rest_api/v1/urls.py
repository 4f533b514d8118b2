"""
URLs of REST API v1.

Course ids in paths are Open edX course keys (``course-v1:Org+Course+Run``); they are passed on as
text so that ``api`` parses them, and a malformed one is answered 400 rather than an HTML 404.
Session ids likewise.
"""

from django.urls import include, path

from . import views

LEARNER = "learners/<str:username>/"

course_urlpatterns = [
    path("learners/", views.LearnersView.as_view(), name="learners"),
    # Before a learner's own paths: "export" is not read as a username.
    path("learners/export/", views.LearnersExportView.as_view(), name="learners-export"),
    path(LEARNER, views.LearnerView.as_view(), name="learner"),
    path(f"{LEARNER}due-date/", views.DueDateView.as_view(), name="learner-due-date"),
    path(f"{LEARNER}reset-progress/", views.ResetProgressView.as_view(), name="learner-reset-progress"),
    path(f"{LEARNER}mark-complete/", views.MarkCompleteView.as_view(), name="learner-mark-complete"),
    path(f"{LEARNER}change-session/", views.ChangeSessionView.as_view(), name="learner-change-session"),
    path(f"{LEARNER}mark-no-show/", views.MarkNoShowView.as_view(), name="learner-mark-no-show"),
    path(f"{LEARNER}make-instructor/", views.MakeInstructorView.as_view(), name="learner-make-instructor"),
    path(f"{LEARNER}unassign/", views.UnassignView.as_view(), name="learner-unassign"),
    path(f"{LEARNER}remove/", views.RemoveView.as_view(), name="learner-remove"),
    path(f"{LEARNER}certificate/", views.CertificateView.as_view(), name="learner-certificate"),
    path(f"{LEARNER}history/", views.HistoryView.as_view(), name="learner-history"),
    path(f"{LEARNER}chapters/", views.ChaptersView.as_view(), name="learner-chapters"),
    path(f"{LEARNER}quizzes/", views.QuizzesView.as_view(), name="learner-quizzes"),
    path(f"{LEARNER}scorm-activity/", views.ScormActivityView.as_view(), name="learner-scorm-activity"),
    path("users/", views.UserSearchView.as_view(), name="users"),
    path("assignments/", views.AssignView.as_view(), name="assignments"),
    path("assignments/jobs/<str:job_id>/", views.AssignmentStatusView.as_view(), name="assignment"),
    path("assignments/review/", views.ReviewView.as_view(), name="assignments-review"),
    path("assignments/sample-csv/", views.SampleCsvView.as_view(), name="assignments-sample-csv"),
    path("assignments/import/", views.ImportView.as_view(), name="assignments-import"),
    path("imports/<str:job_id>/", views.ImportStatusView.as_view(), name="import"),
    path("imports/<str:job_id>/non-imported/", views.NonImportedView.as_view(), name="import-non-imported"),
    path("exports/", views.ExportsView.as_view(), name="exports"),
    path("exports/<str:job_id>/", views.ExportStatusView.as_view(), name="export"),
    path("exports/<str:job_id>/file/", views.ExportFileView.as_view(), name="export-file"),
    path("mass-actions/", views.MassActionsView.as_view(), name="mass-actions"),
    path("mass-actions/<str:job_id>/", views.MassActionStatusView.as_view(), name="mass-action"),
    path("sessions/", views.SessionsView.as_view(), name="sessions"),
    path("sessions/<str:session_id>/", views.SessionView.as_view(), name="session"),
    path("settings/", views.CourseSettingsView.as_view(), name="settings"),
    path("summary/", views.CourseSummaryView.as_view(), name="summary"),
    path("history/export/", views.AuditTrailExportView.as_view(), name="audit-trail-export"),
]

urlpatterns = [
    path("me/assignments/", views.MyAssignmentsView.as_view(), name="my-assignments"),
    path("me/assignments/<str:course_id>/session/", views.MySessionView.as_view(), name="my-session"),
    path("courses/<str:course_id>/", include(course_urlpatterns)),
    path("schema/", views.SchemaView.as_view(), name="schema"),
]
