"""
Learner Management for Open edX: assignments, attempts, ILT sessions and bulk actions for course teams.
"""

__version__ = "0.1.0"
