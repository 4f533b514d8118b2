"""
Downloads of REST API v1: the renderer that serves a workbook, and download headers.
"""

from rest_framework.renderers import BaseRenderer

from ...data import XLSX_MEDIA_TYPE


class CsvRenderer(BaseRenderer):
    """
    Serves a CSV file a view has already built (``?format=csv``).
    """

    media_type = "text/csv"
    format = "csv"
    charset = "utf-8"
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data


class XlsxRenderer(BaseRenderer):
    """
    Serves a workbook a view has already built (``?format=xlsx``).
    """

    media_type = XLSX_MEDIA_TYPE
    format = "xlsx"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        return data


def attachment(filename: str) -> str:
    """
    The Content-Disposition of a download named ``filename``.
    """
    return f'attachment; filename="{filename}"'
