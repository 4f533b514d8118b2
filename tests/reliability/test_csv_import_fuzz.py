"""
Bad input fuzzing of the CSV import (``POST assignments/import/``), property-based: random bytes,
other encodings, BOMs, header variants, quoted newlines, enormous fields, no rows, limits exceeded.

Whatever the file, the answer is a 200 in which every data row is either imported or listed with its
reason, or a 400 with a clear message after which nothing at all has changed (no partial import, no
job). Never a 500. Each example runs in a savepoint rolled back after it, so each meets the same world.
"""

import codecs
import csv
import io
import itertools

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from devhost.lms import api as host
from learner_mgmt_plugin import api
from learner_mgmt_plugin.models import Assignment, HistoryEvent
from test_utils.fuzzing import examples
from test_utils.rest import client_as, course_url, in_days
from test_utils.snapshots import snapshot
from test_utils.world import csv_upload, rolled_back

pytestmark = [pytest.mark.figure("CSV import fuzzing"), pytest.mark.django_db]

COURSE = "course-v1:Fuzz+CSV101+2026"
HEADINGS = ("email", "username", "employee_id", "due_date")
FIELD_LIMIT = csv.field_size_limit()
# (username, email, employee ID) of the active users the files may name; "zoë" has a non-ASCII name.
KNOWN = [("amy", "amy@example.com", "E-1"), ("ben", "ben@example.com", "E-2"), ("zoë", "zoë@example.com", "E-3")]
DEACTIVATED = ("old", "old@example.com", "E-9")
FUZZ = settings(
    max_examples=examples(25),
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large],
)


@pytest.fixture(scope="module")
def fuzz_client(django_db_setup, django_db_blocker):
    """
    The course team's client, in a course whose possible learners exist: built once per module.
    """
    with django_db_blocker.unblock(), transaction.atomic():
        host.create_course(COURSE, title="Fuzzing")
        staff = host.create_user("fuzz_staff")
        host.grant_role(staff, COURSE, "staff")
        ids = host.create_users({"username": name, "email": email} for name, email, _ in KNOWN)
        ids += host.create_users([{"username": DEACTIVATED[0], "email": DEACTIVATED[1], "is_active": False}])
        api.set_employee_ids(dict(zip(ids, [employee_id for *_, employee_id in KNOWN] + [DEACTIVATED[2]])))
        yield client_as(staff)
        transaction.set_rollback(True)


def data_rows(text: str) -> int:
    """
    How many data rows a spreadsheet shows in the CSV text: non-blank rows after the headings.
    """
    rows = [row for row in csv.reader(io.StringIO(text, newline="")) if any(value.strip() for value in row)]
    return max(len(rows) - 1, 0)


def import_checked(client, data: bytes, cases, *, rows=None):
    """
    Import ``data`` and check the invariants every answer must keep; return (status, body). ``rows``:
    how many data rows the file has, when the caller knows.
    """
    cases.tried()
    with rolled_back():
        before = snapshot(with_host=True)
        assignments, assigned_events = Assignment.objects.count(), HistoryEvent.objects.count()
        response = client.post(
            course_url(COURSE, "assignments/import/"), {"file": csv_upload(data)}, format="multipart"
        )
        assert response.status_code in (200, 400), (response.status_code, response.content[:300])
        body = response.json()
        if response.status_code == 400:
            assert body["error"] in ("import_refused", "invalid_input") and body["message"].strip(), body
            assert snapshot(with_host=True) == before, "a refused file changed the database"
        else:
            if rows is not None:
                assert body["imported"] + body["failed"] == rows, body
            if "failures" in body:
                assert len(body["failures"]) == body["failed"]
                assert all(failure["reason"].strip() and failure["row"] >= 2 for failure in body["failures"])
            # Nothing was assigned before: each imported row is a new learner with one "assigned" event.
            assert body["imported"] == body["assigned"] == Assignment.objects.count() - assignments
            assert HistoryEvent.objects.count() - assigned_events == body["imported"]
        return response.status_code, body


def csv_text(header, rows, *, terminator="\r\n", quoting=csv.QUOTE_MINIMAL, blank_lines=()):
    output = io.StringIO()
    writer = csv.writer(output, lineterminator=terminator, quoting=quoting)
    writer.writerow(header)
    for number, row in enumerate(rows):
        if number in blank_lines:
            output.write(terminator)
        writer.writerow(row)
    return output.getvalue()


# Strategies

IDENTIFIERS = st.sampled_from(
    [value for user in KNOWN + [DEACTIVATED] for value in user]
    + ["AMY@EXAMPLE.COM", " ben@example.com ", "ghost@example.com", "ghost", "E-404", "@", "", " "]
)
WILD_TEXT = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)) | st.sampled_from(',"\r\n\t;'), max_size=40
)
ENORMOUS = st.builds(lambda char, size: char * size, st.sampled_from('xé,"\n'), st.integers(1000, FIELD_LIMIT - 10))
CELL = st.one_of(IDENTIFIERS, IDENTIFIERS, WILD_TEXT, ENORMOUS)
DUE_DATE = st.one_of(
    st.just(""),
    st.sampled_from([in_days(10), in_days(-1), "2030-02-30", "31/12/2030", "2030-1-1", "9999-12-31", "0000-01-01"]),
    WILD_TEXT,
)
ROW = st.tuples(CELL, CELL, CELL, DUE_DATE).map(list) | st.lists(CELL, min_size=0, max_size=6)


def header_variant(draw_data):
    order = draw_data.draw(st.permutations(HEADINGS))
    return [
        draw_data.draw(st.sampled_from(["", " ", "\t"]))
        + "".join(draw_data.draw(st.sampled_from([char.lower(), char.upper()])) for char in heading)
        + draw_data.draw(st.sampled_from(["", " "]))
        for heading in order
    ]


# Properties


@FUZZ
@given(data=st.binary(max_size=2000))
def test_random_bytes(fuzz_client, cases, data):
    status, body = import_checked(fuzz_client, data, cases)
    if status == 200:
        assert body["imported"] + body["failed"] == data_rows(data.decode("utf-8-sig"))


@FUZZ
@given(tail=st.binary(max_size=2000), bom=st.booleans())
def test_random_bytes_after_good_headings(fuzz_client, cases, tail, bom):
    data = (codecs.BOM_UTF8 if bom else b"") + b"email,username,employee_id,due_date\r\n" + tail
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = None
    status, body = import_checked(fuzz_client, data, cases)
    if text is None:
        assert status == 400 and "UTF-8" in body["message"]
    elif status == 200:
        assert body["imported"] + body["failed"] == data_rows(text)


@FUZZ
@given(draw_data=st.data(), rows=st.lists(ROW, min_size=1, max_size=12))
def test_well_formed_files_import_or_list_every_row(fuzz_client, cases, draw_data, rows):
    terminator = draw_data.draw(st.sampled_from(["\r\n", "\n", "\r"]))
    quoting = draw_data.draw(st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL]))
    blank_lines = draw_data.draw(st.sets(st.integers(0, len(rows))))
    text = csv_text(header_variant(draw_data), rows, terminator=terminator, quoting=quoting, blank_lines=blank_lines)
    bom = draw_data.draw(st.booleans())
    expected_rows = sum(1 for row in rows if any(cell.strip() for cell in row))
    # A bare "\r" ends a row even inside an unquoted cell; csv.writer quotes such cells, and the count
    # below is the one a spreadsheet shows.
    status, body = import_checked(
        fuzz_client, ("\ufeff" if bom else "").encode() + text.encode(), cases, rows=data_rows(text)
    )
    if expected_rows == 0:
        assert status == 400 and "no rows" in body["message"]
    else:
        assert status == 200, body


@FUZZ
@given(size=st.integers(FIELD_LIMIT - 5, 3 * FIELD_LIMIT), column=st.integers(0, 3))
def test_a_field_beyond_what_csv_reads_refuses_the_file(fuzz_client, cases, size, column):
    row = ["", "amy", "", ""]
    row[column] = "y" * size
    text = csv_text(HEADINGS, [["", "ben", "", ""], row])
    status, body = import_checked(fuzz_client, text.encode(), cases, rows=2)
    if size > FIELD_LIMIT:
        assert status == 400 and "not a valid CSV" in body["message"]
    else:
        assert status == 200


ENCODINGS = ["utf-8", "utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32", "latin-1", "cp1252", "mac-roman"]


@FUZZ
@given(encoding=st.sampled_from(ENCODINGS), names=st.lists(st.sampled_from(KNOWN), min_size=1, max_size=3))
def test_other_encodings_are_refused_unless_they_are_utf8(fuzz_client, cases, encoding, names):
    text = csv_text(HEADINGS, [[email, "", "", ""] for _, email, _ in names])
    data = text.encode(encoding)
    status, body = import_checked(fuzz_client, data, cases)
    try:
        decoded = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        assert status == 400 and "UTF-8" in body["message"]
        return
    if decoded == text:
        # UTF-8 with or without a BOM, or an ASCII-only file in an encoding that agrees with it.
        assert status == 200 and body["imported"] == len(set(names))
    else:
        # Bytes that happen to be UTF-8 but mean something else (UTF-16 of ASCII: NULs everywhere).
        assert status == 400 and "headings" in body["message"]


@FUZZ
@given(draw_data=st.data())
def test_headings_other_than_the_samples_refuse_the_file(fuzz_client, cases, draw_data):
    header = header_variant(draw_data)
    change = draw_data.draw(st.sampled_from(["drop", "add", "rename", "duplicate", "empty"]))
    index = draw_data.draw(st.integers(0, 3))
    if change == "drop":
        del header[index]
    elif change == "add":
        header.insert(index, draw_data.draw(st.sampled_from(["name", "Email", "notes", ""])))
    elif change == "rename":
        header[index] = draw_data.draw(st.sampled_from(["e-mail", "user name", "employee id", "due", "mail"]))
    elif change == "duplicate":
        header[index] = header[(index + 1) % 4]
    else:
        header = [""] * 4 + ["email"]
    status, body = import_checked(fuzz_client, csv_text(header, [["amy@example.com", "", "", ""]]).encode(), cases)
    assert status == 400
    assert "email, username, employee_id, due_date" in body["message"]


@FUZZ
@given(
    header=st.booleans(),
    blank=st.lists(st.sampled_from(["", " ", "\t", ",,,", " , , , ", '"",""']), max_size=5),
    terminator=st.sampled_from(["\r\n", "\n", "\r"]),
    bom=st.booleans(),
)
def test_files_without_rows_are_refused(fuzz_client, cases, header, blank, terminator, bom):
    lines = ([",".join(HEADINGS)] if header else []) + blank
    data = ("\ufeff" if bom else "") + terminator.join(lines)
    status, body = import_checked(fuzz_client, data.encode(), cases)
    assert status == 400
    assert ("no rows" if header else "empty") in body["message"]


MAX_ROWS = 8
MAX_BYTES = 600


@FUZZ
@given(
    rows=st.lists(st.tuples(st.sampled_from(KNOWN + [("", "ghost@example.com", "")])), max_size=2 * MAX_ROWS),
    padding=st.integers(0, 400),
)
def test_limits_refuse_the_whole_file(fuzz_client, settings, cases, rows, padding):
    settings.LEARNER_MGMT_IMPORT_MAX_ROWS = MAX_ROWS
    settings.LEARNER_MGMT_IMPORT_MAX_BYTES = MAX_BYTES
    # The padding is a comment-like extra cell that makes each row fail, but counts against the size.
    lines = [[email, "", "", ""] for ((_, email, _),) in rows]
    lines += [["", "", "", "", "p" * padding]] if padding else []
    data = csv_text(HEADINGS, lines).encode()
    status, body = import_checked(fuzz_client, data, cases, rows=len(lines))
    if len(data) > MAX_BYTES:
        assert status == 400 and "larger than" in body["message"]
    elif len(lines) > MAX_ROWS:
        assert status == 400 and f"more than {MAX_ROWS} rows" in body["message"]
    elif not lines:
        assert status == 400
    else:
        assert status == 200


def test_a_file_at_the_limits_imports_and_one_byte_or_row_more_is_refused(fuzz_client, settings, cases):
    settings.LEARNER_MGMT_IMPORT_MAX_ROWS = 3
    rows = [[email, "", "", ""] for _, email, _ in KNOWN]
    data = csv_text(HEADINGS, rows).encode()
    settings.LEARNER_MGMT_IMPORT_MAX_BYTES = len(data)
    assert import_checked(fuzz_client, data, cases, rows=3)[0] == 200
    assert import_checked(fuzz_client, data + b" ", cases)[0] == 400
    settings.LEARNER_MGMT_IMPORT_MAX_BYTES = 10_000
    more = csv_text(HEADINGS, rows + [["ghost@example.com", "", "", ""]]).encode()
    assert import_checked(fuzz_client, more, cases)[0] == 400


def test_quoted_newlines_commas_and_quotes_stay_inside_their_cell(fuzz_client, cases):
    rows = [
        ['"amy@example.com"', "", "", ""],
        ["ben@example.com", "", "", ""],
        ["line one\nline two", "", "", ""],
        ["", "a,b", "", ""],
        ["", "", 'say "hi"', ""],
        ["", "zoë", "", "\r\n"],
    ]
    text = csv_text(HEADINGS, rows, quoting=csv.QUOTE_ALL)
    status, body = import_checked(fuzz_client, text.encode(), cases, rows=len(rows))
    assert status == 200
    assert {failure["row"] for failure in body["failures"]} == {2, 4, 5, 6}
    assert [failure["email"] for failure in body["failures"] if failure["row"] == 4] == ["line one\nline two"]
    assert body["imported"] == 2


def test_every_row_is_counted_once_across_chunks(fuzz_client, settings, cases):
    # Many rows, chunks of three: rows naming the same user in different chunks are duplicates.
    settings.LEARNER_MGMT_CHUNK_SIZE = 3
    names = [name for name, *_ in KNOWN]
    rows = [["", name, "", ""] for name in itertools.islice(itertools.cycle(names + ["ghost"]), 40)]
    status, body = import_checked(fuzz_client, csv_text(HEADINGS, rows).encode(), cases, rows=40)
    assert (status, body["imported"], body["failed"]) == (200, 3, 37)
