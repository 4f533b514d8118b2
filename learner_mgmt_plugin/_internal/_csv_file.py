"""
Reading assignment CSV files and writing the file of rows that were not imported.

A file is either refused whole (``ImportRefused``: size, encoding, headings, row count, broken CSV)
or read into rows, each of which is later imported or listed with its reason.
"""

from __future__ import annotations

import csv
import datetime
import io
import re

import attr
from django.utils.translation import gettext as _

from ..conf import app_settings
from ..exceptions import ImportRefused

HEADINGS = ("email", "username", "employee_id", "due_date")

SAMPLE_CSV = (
    "email,username,employee_id,due_date\r\n"
    "jane.doe@example.com,,,2030-06-30\r\n"
    ",john_smith,,\r\n"
    ",,E10042,2030-06-30\r\n"
)

NON_IMPORTED_HEADINGS = ("row", "email", "username", "employee_id", "reason")

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

# A spreadsheet treats a cell starting with one of these as a formula.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@attr.s(frozen=True, slots=True, auto_attribs=True)
class CsvRow:
    """
    A data row of an assignment file; ``line`` is its row number in a spreadsheet (headings are 1).
    ``problem`` says why the row cannot be read, if it cannot.
    """

    line: int
    email: str
    username: str
    employee_id: str
    due_date: str
    problem: str | None = None


def check_size(size: int) -> None:
    """
    ImportRefused if a file of ``size`` bytes is larger than ``LEARNER_MGMT_IMPORT_MAX_BYTES``.
    """
    if size > app_settings.IMPORT_MAX_BYTES:
        raise ImportRefused(
            _("The file is larger than {limit} MB; split it and import the parts.").format(
                limit=round(app_settings.IMPORT_MAX_BYTES / (1024 * 1024), 1)
            )
        )


def read_rows(data: bytes) -> list[CsvRow]:
    """
    The data rows of an assignment CSV file, or ImportRefused if the file as a whole is unusable.
    Blank rows are ignored but still counted, so ``line`` matches the row a spreadsheet shows.
    """
    check_size(len(data))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ImportRefused(_("The file is not UTF-8 text; save it as 'CSV UTF-8' and import it again.")) from error
    max_rows = app_settings.IMPORT_MAX_ROWS
    reader = csv.reader(io.StringIO(text, newline=""))
    columns, rows = None, []
    try:
        for number, values in enumerate(reader, start=1):
            if not any(value.strip() for value in values):
                continue
            if columns is None:
                columns = _columns(values)
            elif len(rows) == max_rows:
                raise ImportRefused(
                    _("The file has more than {limit} rows; split it and import the parts.").format(limit=max_rows)
                )
            else:
                rows.append(_row(number, values, columns))
    except csv.Error as error:
        raise ImportRefused(
            _("The file is not a valid CSV file (line {line}: {error}).").format(line=reader.line_num, error=error)
        ) from error
    if columns is None:
        raise ImportRefused(
            _("The file is empty. Its first row must be the headings: {expected}.").format(expected=", ".join(HEADINGS))
        )
    if not rows:
        raise ImportRefused(_("The file has no rows to import."))
    return rows


def _columns(headings) -> dict[str, int]:
    expected = ", ".join(HEADINGS)
    normalised = [heading.strip().lower() for heading in headings]
    if sorted(normalised) != sorted(HEADINGS):
        raise ImportRefused(
            _("The headings of the file must be exactly those of the sample CSV: {expected} (found: {found}).").format(
                expected=expected, found=", ".join(heading.strip() for heading in headings)
            )
        )
    return {heading: normalised.index(heading) for heading in HEADINGS}


def _row(line: int, values: list[str], columns: dict[str, int]) -> CsvRow:
    if len(values) != len(HEADINGS):
        padded = (values + [""] * len(HEADINGS))[: len(HEADINGS)]
        problem = _("The row has {count} values; the headings name {expected}.").format(
            count=len(values), expected=len(HEADINGS)
        )
    else:
        padded, problem = values, None
    cells = {heading: padded[index].strip() for heading, index in columns.items()}
    return CsvRow(line=line, problem=problem, **cells)


def parse_due_date(text: str, today: datetime.date) -> tuple[datetime.date | None, str | None]:
    """
    (date, None) for an empty or valid ``YYYY-MM-DD`` date not in the past, else (None, reason).
    """
    if not text:
        return None, None
    if not _ISO_DATE.match(text):
        return None, _("The due date '{value}' is not a date in the form YYYY-MM-DD.").format(value=text)
    try:
        due_date = datetime.date.fromisoformat(text)
    except ValueError:
        return None, _("The due date '{value}' does not exist.").format(value=text)
    if due_date < today:
        return None, _("The due date {value} is in the past.").format(value=text)
    return due_date, None


def safe_cell(value) -> str:
    """
    A value made safe for a spreadsheet cell: text that would start a formula gets a leading quote.
    """
    value = "" if value is None else str(value)
    return "'" + value if value.startswith(_FORMULA_STARTS) else value


def non_imported_filename(today: datetime.date) -> str:
    """
    Name of the file listing the rows not imported on ``today``.
    """
    return f"Non_Imported_List_{today:%Y-%m-%d}.csv"


def non_imported_csv(failures) -> str:
    """
    The rows that were not imported, with the reason, as CSV text.
    """
    output = io.StringIO()
    writer = csv.writer(output)
    writer.writerow(NON_IMPORTED_HEADINGS)
    for failure in failures:
        writer.writerow(
            [failure.row]
            + [safe_cell(value) for value in (failure.email, failure.username, failure.employee_id, failure.reason)]
        )
    return output.getvalue()
