"""
The LMS's URLs the micro-frontends call (the learner dashboard MFE): their configuration, the JWT
cookies, the learner dashboard's data and the course images it shows, the header's notification count, at
the platform's paths.
"""

from django.urls import path

from . import learner_home, mfe_auth, mfe_config, notifications

urlpatterns = [
    path("api/mfe_config/v1", mfe_config.mfe_config, name="mfe_config"),
    path("login_refresh", mfe_auth.login_refresh, name="login_refresh"),
    path("api/learner_home/init", learner_home.InitializeView.as_view(), name="learner_home_init"),
    path("courses/<course_key:course_key>/image", learner_home.course_image, name="course_image"),
    path("api/notifications/count/", notifications.NotificationCountView.as_view(), name="notifications_count"),
]
