"""
The count of a user's unseen notifications, ``GET /api/notifications/count/``, as the LMS's
``openedx.core.djangoapps.notifications`` serves it to the MFEs' header (Verawood's asks on every page):
the development host sends no notifications and keeps the notifications tray off.
"""

from edx_rest_framework_extensions.auth.jwt.authentication import JwtAuthentication
from rest_framework.authentication import SessionAuthentication
from rest_framework.permissions import IsAuthenticated
from rest_framework.renderers import JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

# Days the platform keeps a notification (its NOTIFICATIONS_EXPIRY default).
NOTIFICATIONS_EXPIRY_DAYS = 60


class NotificationCountView(APIView):
    """
    ``GET /api/notifications/count/``: none, and no tray to show them in.
    """

    authentication_classes = (JwtAuthentication, SessionAuthentication)
    permission_classes = (IsAuthenticated,)
    renderer_classes = (JSONRenderer,)

    def get(self, request):
        return Response(
            {
                "show_notifications_tray": False,
                "count": 0,
                "count_by_app_name": {},
                "notification_expiry_days": NOTIFICATIONS_EXPIRY_DAYS,
                "is_new_notification_view_enabled": False,
            }
        )
