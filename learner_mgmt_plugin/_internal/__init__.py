"""
The domain's private modules: what ``api.py`` is built from. Nothing outside the package imports them.
"""
