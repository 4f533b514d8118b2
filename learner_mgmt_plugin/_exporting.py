"""
The learner list exported as a file a person reads (CSV or an Excel workbook): one row per learner
with the columns a compliance report needs, every cell safe to open in a spreadsheet.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from ._workbook import cell_text
from .data import XLSX_MEDIA_TYPE, ExportFormat, LearnerExport, LearnerRow


def _headings() -> tuple[str, ...]:
    return (
        _("Name"),
        _("Username"),
        _("Email"),
        _("Employee ID"),
        _("Status"),
        _("Progress (%)"),
        _("Required"),
        _("Due date"),
        _("Overdue"),
        _("Assigned by"),
        _("Assigned at"),
        _("Session"),
        _("Attempt"),
        _("Completed at"),
        _("Certificate"),
    )


def _when(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def _cells(row: LearnerRow) -> tuple:
    yes, no = _("Yes"), _("No")
    session = f"{row.session.title} ({_when(row.session.start)})" if row.session else ""
    certificate = row.certificate.status.value.replace("_", " ").capitalize() if row.certificate else ""
    return (
        cell_text(row.name),
        cell_text(row.username),
        cell_text(row.email),
        cell_text(row.employee_id),
        row.status_label,
        row.progress,
        yes if row.required else no,
        row.due_date.isoformat() if row.due_date else "",
        yes if row.overdue else no,
        cell_text(row.assigned_by),
        _when(row.assigned_at),
        cell_text(session),
        row.attempt,
        _when(row.completed_at),
        certificate,
    )


def _csv_lines(rows: Iterable[LearnerRow]) -> Iterator[bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def line(values):
        writer.writerow(values)
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text.encode()

    yield line(_headings())
    for row in rows:
        yield line(_cells(row))


def _workbook(rows: Iterable[LearnerRow]) -> Iterator[bytes]:
    # A write-only workbook keeps its rows in a temporary file, not in memory.
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Learners"))
    sheet.append(_headings())
    for row in rows:
        sheet.append(_cells(row))
    output = io.BytesIO()
    workbook.save(output)
    yield output.getvalue()


def export(rows: Iterable[LearnerRow], file_format: ExportFormat, course_id: str, today) -> LearnerExport:
    """
    ``rows`` as ``Learners_<course>_<YYYY-MM-DD>.csv`` or ``.xlsx``, produced as it is read.
    """
    name = re.sub(r"[^A-Za-z0-9._-]+", "_", f"Learners_{course_id}_{today:%Y-%m-%d}")
    if file_format == ExportFormat.XLSX:
        return LearnerExport(f"{name}.xlsx", XLSX_MEDIA_TYPE, _workbook(rows))
    return LearnerExport(f"{name}.csv", "text/csv; charset=utf-8", _csv_lines(rows))
