"""
The Learner Management tab of the instructor dashboard: the legacy dashboard's section and the MFE's
tab (``filters``), and the page both show (``page``).
"""
