"""
Access to the host LMS through the adapter named by ``LEARNER_MGMT_HOST_ADAPTER``.
"""

import functools

from django.utils.module_loading import import_string

from ..conf import app_settings
from .base import LmsHost


@functools.cache
def _adapter(dotted_path: str) -> LmsHost:
    return import_string(dotted_path)()


def get_host() -> LmsHost:
    """
    The host adapter configured for this site.
    """
    return _adapter(app_settings.HOST_ADAPTER)
