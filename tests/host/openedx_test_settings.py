"""
Django settings for running the Open edX adapter's unit tests on their own, without the development host.

The adapter's tests use no database and no plugin app, only Django's cache, email and signals:
``pytest tests/host/test_openedx.py --noconftest --ds tests.host.openedx_test_settings`` (``--noconftest``
keeps ``tests/conftest.py`` from importing the development host).
"""

SECRET_KEY = "openedx-adapter-tests-not-secret"
INSTALLED_APPS = ["django.contrib.contenttypes", "django.contrib.auth"]
DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
USE_TZ = True
ROOT_URLCONF = "tests.host.lms_urls"
LMS_ROOT_URL = "http://127.0.0.1:8000"
