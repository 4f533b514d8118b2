"""
The quiz insights workbook (.xlsx): a learner's results in each quiz chapter, every cell safe to open.
"""

import io
import re

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

from ._csv_file import safe_cell

QUIZ_HEADINGS = ("Chapter", "Score", "Attempts", "Question", "Answer", "Correct")


def cell_text(value) -> str:
    """
    A value as the text of a cell: control characters dropped, safe from formulas.
    """
    # openpyxl refuses control characters, and a learner's answer may hold any; they are dropped
    # before the formula check so that none can hide a leading "=".
    return safe_cell(ILLEGAL_CHARACTERS_RE.sub("", "" if value is None else str(value)))


def _correctness(correct: bool | None) -> str:
    if correct is None:
        return ""
    return "Yes" if correct else "No"


def quiz_insights_workbook(results) -> bytes:
    """
    One sheet with a row per question of each quiz chapter (chapter, score, attempts, question, the
    learner's answer, whether it is correct); a chapter without questions still gets a row.
    """
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Quiz insights"
    sheet.append(QUIZ_HEADINGS)
    for quiz in results:
        chapter = (cell_text(quiz.title), quiz.score, quiz.attempts)
        answers = [
            (cell_text(question.question), cell_text(question.answer), _correctness(question.correct))
            for question in quiz.questions
        ]
        for answer in answers or [("", "", "")]:
            sheet.append((*chapter, *answer))
    output = io.BytesIO()
    workbook.save(output)
    return output.getvalue()


def quiz_insights_filename(username: str, course_id: str) -> str:
    """
    ``quiz_insights_<username>_<course>.xlsx``, with anything a file name should not hold replaced.
    """
    return re.sub(r"[^A-Za-z0-9._-]+", "_", f"quiz_insights_{username}_{course_id}") + ".xlsx"
