"""
Reading the Learner Management page's configuration out of a rendered page.
"""

import json
import re


def page_config(body: str) -> dict:
    """
    The page configuration in a rendered body (the JSON script element the page's modules read).
    """
    return json.loads(re.search(r'<script type="application/json">(.*?)</script>', body, re.S).group(1))
