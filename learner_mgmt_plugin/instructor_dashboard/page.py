"""
The Learner Management page: its template context, computed through ``api``, and its static assets.

The same markup (``learner_mgmt_plugin/app.html``) is the body of the legacy dashboard's section and
of the plugin's own page that the MFE's tab opens. The browser code (plain ES modules) reads its
configuration from that markup and talks to REST API v1; what it may offer comes from here and from
the API, never from rules of its own.
"""

import json
import re
from pathlib import Path
from typing import NamedTuple
from urllib.parse import urljoin

from django.middleware.csrf import get_token
from django.template.loader import render_to_string
from django.templatetags.static import PrefixNode, static
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from .. import api, rules
from ..conf import app_settings
from ..data import AUDIT_ACTIONS, REASON_MAX_LENGTH, CourseKind
from . import strings

STATIC_PREFIX = "learner_mgmt_plugin"
CSS = f"{STATIC_PREFIX}/css/learner_mgmt.css"
JS_ENTRY = f"{STATIC_PREFIX}/js/main.js"
JS_DIR = Path(__file__).resolve().parent.parent / "static" / STATIC_PREFIX / "js"
# The page sizes offered, of those the API takes (LEARNER_MGMT_MAX_PAGE_SIZE).
PAGE_SIZES = (10, 25, 50, 100)
DEFAULT_PAGE_SIZE = 25
# JSON escapes that keep a script element's content from closing it early (as Django's json_script).
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


class RenderedApp(NamedTuple):
    """
    The page's markup and what it needs around it: its stylesheet and its script elements.
    """

    body: str
    css_url: str
    scripts: str


def app_context(request, course_key) -> dict:
    """
    The context of ``learner_mgmt_plugin/app.html`` for ``request.user`` in the course; CourseNotFound
    if there is no such course.
    """
    course_settings = api.get_course_settings(course_key)
    kind = course_settings.kind
    is_ilt = kind == CourseKind.ILT
    labels = strings.status_labels()
    mass_labels, mass_hints = strings.mass_action_labels(), strings.mass_action_hints(is_ilt)
    course_id = str(course_key)
    page_sizes = [size for size in PAGE_SIZES if size <= app_settings.MAX_PAGE_SIZE] or [app_settings.MAX_PAGE_SIZE]
    config = {
        "courseId": course_id,
        # The course's base in REST API v1: every path the page calls is relative to it.
        "apiBase": reverse("learner_mgmt_plugin:v1:settings", kwargs={"course_id": course_id}).removesuffix(
            "settings/"
        ),
        "csrfToken": get_token(request),
        "language": get_language(),
        "kind": kind.value,
        "isIlt": is_ilt,
        "viewerIsAdmin": api.is_platform_admin(request.user),
        "skipCompletedAvailable": api.skip_completed_offered(),
        "statuses": [{"value": status.value, "label": labels[status.value]} for status in course_settings.statuses],
        "massActions": [
            {"action": action.value, "label": mass_labels[action.value], "hint": mass_hints[action.value]}
            for action in course_settings.mass_actions
        ],
        "pageSizes": page_sizes,
        "pageSize": min(DEFAULT_PAGE_SIZE, page_sizes[-1]),
        # The server's date: due dates before it are refused, whatever the browser's clock says.
        "today": timezone.localdate().isoformat(),
        "removalReasonRequired": course_settings.removal_reason_required,
        # More learners than this are exported by a background job.
        "exportBackgroundRows": app_settings.EXPORT_BACKGROUND_ROWS,
        "reasonMaxLength": REASON_MAX_LENGTH,
        "strings": strings.js_strings(),
    }
    return {
        "course_id": course_id,
        "course_title": course_settings.title,
        "is_ilt": is_ilt,
        "credits": course_settings.credits,
        "removal_reason_required": course_settings.removal_reason_required,
        "reminder_days": course_settings.reminder_days,
        "overdue_notice": course_settings.overdue_notice,
        "audit_actions": [(action, rules.history_label(action)) for action in AUDIT_ACTIONS],
        "config": config,
    }


def assets() -> dict:
    """
    URLs of the stylesheet and the entry module, and the import map that gives every module its
    hashed URL where the static files storage hashes names (``None`` where it does not).

    The modules import each other by relative URL, which the browser resolves to unhashed names; the
    map sends it to the hashed copies instead, so that a cached old module never meets a new one.
    """
    prefix = PrefixNode.handle_simple("STATIC_URL")
    imports = {}
    for module in sorted(JS_DIR.glob("*.js")):
        path = f"{STATIC_PREFIX}/js/{module.name}"
        plain, stored = urljoin(prefix, path), static(path)
        if stored != plain:
            imports[plain] = stored
    importmap = json.dumps({"imports": imports}).translate(_SCRIPT_ESCAPES) if imports else None
    return {"css": static(CSS), "js": static(JS_ENTRY), "importmap": mark_safe(importmap) if importmap else None}


def page_context(request, course_key) -> dict:
    """
    The context of the plugin's own page (``learner_mgmt_plugin/page.html``).
    """
    context = app_context(request, course_key)
    # Its header may break the course key only after a separator, never within a part of it.
    context["course_key_parts"] = re.split(r"(?<=[:+/])", context["course_id"])
    return {**context, "assets": assets()}


def render_app(request, course_key) -> RenderedApp:
    """
    The page's markup, stylesheet URL and script elements, for embedding in another page.
    """
    context = page_context(request, course_key)
    return RenderedApp(
        body=render_to_string("learner_mgmt_plugin/app.html", context, request=request),
        css_url=context["assets"]["css"],
        scripts=render_to_string("learner_mgmt_plugin/scripts.html", context, request=request),
    )
