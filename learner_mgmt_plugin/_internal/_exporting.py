"""
Exports as files a person reads (CSV or an Excel workbook), every cell safe to open in a spreadsheet:
the learner list, one row per learner with the columns a compliance report needs, and the course's
audit trail, one row per change.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from .. import rules
from ..data import XLSX_MEDIA_TYPE, AuditEntry, ExportFile, ExportFormat, LearnerRow
from ._workbook import cell_text


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
        _("Last reminder"),
    )


def _when(value) -> str:
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M") if value else ""


def learner_cells(row: LearnerRow) -> tuple:
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
        _when(row.last_reminder_at),
    )


def _detail_text(details: dict, prefix: str = "") -> str:
    """
    An event's details in words a spreadsheet reader follows: "session title: Week 1 · to: 2027-01-31",
    the terms before a change as "previous due date: ...".
    """
    parts = []
    for key, value in details.items():
        label = f"{prefix}{key.replace('_', ' ')}"
        if isinstance(value, dict):
            parts.append(_detail_text(value, f"{label} "))
        elif isinstance(value, bool):
            parts.append(f"{label}: {_('Yes') if value else _('No')}")
        elif value not in (None, ""):
            parts.append(f"{label}: {value}")
    return " · ".join(part for part in parts if part)


def _audit_headings() -> tuple[str, ...]:
    return (
        _("When"),
        _("Action"),
        _("User ID"),
        _("Name"),
        _("Username"),
        _("Email"),
        _("Employee ID"),
        _("Attempt"),
        _("By"),
        _("Details"),
        _("Reason"),
    )


def _audit_cells(entry: AuditEntry) -> tuple:
    return (
        _when(entry.created),
        rules.history_label(entry.action),
        entry.learner_id,
        cell_text(entry.learner_name),
        cell_text(entry.learner_username),
        cell_text(entry.learner_email),
        cell_text(entry.employee_id),
        entry.attempt,
        cell_text(entry.actor),
        cell_text(_detail_text(entry.details)),
        cell_text(entry.reason),
    )


def _csv_lines(headings, rows) -> Iterator[bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def line(values):
        writer.writerow(values)
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text.encode()

    yield line(headings)
    for cells in rows:
        yield line(cells)


def _workbook(sheet_title, headings, rows) -> Iterator[bytes]:
    # A write-only workbook keeps its rows in a temporary file, not in memory.
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_title)
    sheet.append(headings)
    for cells in rows:
        sheet.append(cells)
    output = io.BytesIO()
    workbook.save(output)
    yield output.getvalue()


def _filename(name, file_format: ExportFormat) -> str:
    return f"{re.sub(r'[^A-Za-z0-9._-]+', '_', name)}.{file_format.value}"


def _file(name, sheet_title, headings, rows, file_format: ExportFormat) -> ExportFile:
    if file_format == ExportFormat.XLSX:
        return ExportFile(_filename(name, file_format), XLSX_MEDIA_TYPE, _workbook(sheet_title, headings, rows))
    return ExportFile(_filename(name, file_format), "text/csv; charset=utf-8", _csv_lines(headings, rows))


def export(rows: Iterable[LearnerRow], file_format: ExportFormat, course_id: str, today) -> ExportFile:
    """
    ``rows`` as ``Learners_<course>_<YYYY-MM-DD>.csv`` or ``.xlsx``, produced as it is read.
    """
    return learner_file(map(learner_cells, rows), file_format, course_id, today)


def learner_file(cells: Iterable[tuple], file_format: ExportFormat, course_id: str, today) -> ExportFile:
    """
    The learner list's file of rows already made cells (``learner_cells``), as a background export
    keeps them.
    """
    return _file(f"Learners_{course_id}_{today:%Y-%m-%d}", _("Learners"), _headings(), cells, file_format)


def learner_filename(file_format: ExportFormat, course_id: str, today) -> str:
    """
    ``Learners_<course>_<YYYY-MM-DD>.csv`` or ``.xlsx``.
    """
    return _filename(f"Learners_{course_id}_{today:%Y-%m-%d}", file_format)


def export_audit_trail(entries: Iterable[AuditEntry], file_format: ExportFormat, course_id: str, today) -> ExportFile:
    """
    ``entries`` as ``Audit_trail_<course>_<YYYY-MM-DD>.csv`` or ``.xlsx``, produced as it is read.
    """
    name = f"Audit_trail_{course_id}_{today:%Y-%m-%d}"
    return _file(name, _("Audit trail"), _audit_headings(), map(_audit_cells, entries), file_format)
