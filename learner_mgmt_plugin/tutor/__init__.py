"""
The Tutor plugin ``learner-mgmt`` (Tutor 21 for Ulmo, 22 for Verawood), shipped in the same distribution as the
Django app.

Tutor loads ``plugin`` through the ``tutor.plugin.v1`` entry point on the Tutor host, where neither Django nor
the LMS is installed: nothing in this package may import them. ``learner_dashboard.jsx`` holds the learner
dashboard MFE's plugin components, which the Tutor plugin pastes into tutor-mfe's ``env.config.jsx``.
"""
