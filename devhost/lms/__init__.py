"""
The ``devhost_lms`` app: users, courses and learner activity of the development LMS host.
"""
