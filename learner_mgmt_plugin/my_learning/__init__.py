"""
The learner's side: their My Learning page in the LMS, where they see the courses assigned to them and
book their own seats in ILT sessions.
"""
