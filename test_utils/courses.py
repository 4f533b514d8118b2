"""
The shape of the test courses (see ``tests/api/conftest.py``): seven leaves, so one leaf is 14% and
three are 42%.
"""

LEAVES = 7
ONE_LEAF = 1 / LEAVES
THREE_LEAVES = 3 / LEAVES
