"""
The bulk helpers of the hot paths: ``insert_rows`` (multi-row INSERTs of database-ready values), and
``IdIn`` and ``TextIn``, the ``__in`` lookup for a chunk's integer ids (written into the statement) and
identifiers (sent as parameters without Django's per-value preparation).
"""

import datetime
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from learner_mgmt_plugin._internal import _bulk
from learner_mgmt_plugin._internal._bulk import IdIn, TextIn, db_date, db_datetime, insert_rows
from learner_mgmt_plugin.models import Assignment, HistoryEvent, Learner

pytestmark = pytest.mark.django_db


@pytest.fixture
def user_ids():
    User = get_user_model()
    return [User.objects.create(username=f"bulk{number}").pk for number in range(5)]


def test_it_selects_what_the_in_lookup_selects(user_ids):
    User = get_user_model()
    wanted = [user_ids[3], user_ids[0], str(user_ids[1]), user_ids[3]]
    assert sorted(User.objects.filter(IdIn("pk", wanted)).values_list("pk", flat=True)) == sorted(
        User.objects.filter(pk__in=wanted).values_list("pk", flat=True)
    )


def test_none_matches_nothing_as_in_the_in_lookup(user_ids):
    User = get_user_model()
    wanted = [user_ids[2], None]
    assert list(User.objects.filter(IdIn("pk", wanted)).values_list("pk", flat=True)) == [user_ids[2]]
    assert list(User.objects.filter(IdIn("pk", [None]))) == list(User.objects.filter(pk__in=[None])) == []


def test_the_ids_are_in_the_statement_not_its_parameters(user_ids):
    sql, params = get_user_model().objects.filter(IdIn("pk", reversed(user_ids[:3]))).query.sql_with_params()
    assert params == ()
    assert f"IN ({','.join(map(str, sorted(user_ids[:3])))})" in sql


def test_text_values_are_parameters(user_ids):
    sql, params = get_user_model().objects.filter(TextIn("username", ["bulk2", "bulk1"])).query.sql_with_params()
    assert params == ("bulk1", "bulk2")
    assert "bulk1" not in sql


def test_it_works_in_updates_and_with_other_conditions(user_ids):
    User = get_user_model()
    changed = User.objects.filter(IdIn("pk", user_ids[:2]), username__endswith="1").update(first_name="Changed")
    assert changed == 1
    assert list(User.objects.filter(first_name="Changed").values_list("pk", flat=True)) == [user_ids[1]]


def test_no_ids_select_nothing_without_a_query(user_ids):
    with CaptureQueriesContext(connection) as queries:
        assert list(get_user_model().objects.filter(IdIn("pk", []))) == []
    assert queries.captured_queries == []


def test_anything_but_an_integer_is_refused_before_any_sql():
    with pytest.raises(ValueError):
        IdIn("pk", ["1) OR (1=1"])


def test_text_in_selects_what_the_in_lookup_selects(user_ids):
    User = get_user_model()
    wanted = ["bulk1", "bulk3", "bulk3", "nobody", "bulk1') OR ('1'='1"]
    found = User.objects.filter(TextIn("username", wanted)).values_list("username", flat=True)
    assert sorted(found) == sorted(User.objects.filter(username__in=wanted).values_list("username", flat=True))
    assert sorted(found) == ["bulk1", "bulk3"]


def test_text_in_with_nothing_selects_nothing_without_a_query(user_ids):
    with CaptureQueriesContext(connection) as queries:
        assert list(get_user_model().objects.filter(TextIn("username", set()))) == []
    assert queries.captured_queries == []


# insert_rows

HISTORY_FIELDS = ("learner", "course_key", "kind", "attempt_number", "actor", "created", "details", "reason")
# Text a hand-made escaping would get wrong: quotes, backslashes, the driver's placeholders, other scripts.
AWKWARD_TEXTS = ["it's", 'say "hi"', "back\\slash\\", "100% %s %%s %(name)s", "Zoë Łukasz 李 🎓", "line\nbreak", ""]


@pytest.fixture
def learner_ids(user_ids):
    Learner.objects.bulk_create([Learner(user_id=user_id, name=f"Learner {user_id}") for user_id in user_ids])
    return user_ids


def test_rows_come_back_as_they_were_given(learner_ids):
    created = timezone.now().replace(microsecond=123456)
    rows = [
        (
            learner_ids[number % 5],
            "course-v1:Org+Bulk+Run",
            "assigned",
            number or None,
            None,
            db_datetime(created),
            f'{{"text": "{number}"}}',
            text,
        )
        for number, text in enumerate(AWKWARD_TEXTS * 3)
    ]
    insert_rows(HistoryEvent, HISTORY_FIELDS, rows)
    stored = HistoryEvent.objects.order_by("pk").values_list(
        "learner_id", "attempt_number", "actor_id", "created", "details", "reason"
    )
    assert list(stored) == [
        (learner_ids[number % 5], number or None, None, created, {"text": str(number)}, text)
        for number, text in enumerate(AWKWARD_TEXTS * 3)
    ]


def test_booleans_dates_and_nulls_come_back_as_given(learner_ids):
    now = db_datetime(timezone.now())
    due = datetime.date(2030, 6, 30)
    fields = (
        "learner",
        "course_key",
        "required",
        "due_date",
        "message",
        "assigned_at",
        "active",
        "status",
        "progress",
        "learner_name",
    )
    insert_rows(
        Assignment,
        fields,
        [
            (learner_ids[0], "course-v1:Org+Bulk+Run", True, db_date(due), "1", now, False, "1", 0, "0"),
            (learner_ids[1], "course-v1:Org+Bulk+Run", False, None, "0", now, True, "0", 1, "1"),
        ],
    )
    assert list(
        Assignment.objects.order_by("learner_id").values_list(
            "required", "due_date", "message", "active", "status", "progress", "learner_name"
        )
    ) == [(True, due, "1", False, "1", 0, "0"), (False, None, "0", True, "0", 1, "1")]


def test_it_stores_what_the_drivers_own_executemany_stores():
    """
    Equal values of different types (Decimal("1.00") == 1.0 == True) are escaped each by their own
    type, as the driver would, though the escaping is shared between rows.
    """
    values = [Decimal("1.00"), 1.0, True, 1, "1", Decimal("1.00"), 1.0, True, *AWKWARD_TEXTS]
    users = get_user_model().objects.bulk_create(
        [get_user_model()(username=f"literal{number}") for number in range(2 * len(values))]
    )
    ours, theirs = [user.pk for user in users[: len(values)]], [user.pk for user in users[len(values) :]]
    fields = ("user", "name", "last_name", "username", "email")
    insert_rows(Learner, fields, [(user_id, value, "", "", "") for user_id, value in zip(ours, values)])
    quote = connection.ops.quote_name
    columns = ", ".join(quote(Learner._meta.get_field(name).column) for name in fields)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"INSERT INTO {quote(Learner._meta.db_table)} ({columns}) VALUES (%s, %s, %s, %s, %s)",
            [(user_id, value, "", "", "") for user_id, value in zip(theirs, values)],
        )
    names = dict(Learner.objects.values_list("pk", "name"))
    assert [names[user_id] for user_id in ours] == [names[user_id] for user_id in theirs]
    assert [names[user_id] for user_id in ours][-len(AWKWARD_TEXTS) :] == AWKWARD_TEXTS


def test_many_rows_go_out_in_a_few_statements(learner_ids, monkeypatch):
    """
    A statement per thousand rows, more when they are long; each row once.
    """
    monkeypatch.setattr(_bulk, "MAX_STATEMENT_BYTES", 4000)
    now = db_datetime(timezone.now())
    long_reason = "x" * 900
    rows = [
        (
            learner_ids[number % 5],
            "course-v1:Org+Bulk+Run",
            "assigned",
            number,
            None,
            now,
            "{}",
            long_reason if number < 10 else "",
        )
        for number in range(_bulk.BATCH_SIZE + 10)
    ]
    with CaptureQueriesContext(connection) as queries:
        insert_rows(HistoryEvent, HISTORY_FIELDS, rows)
    inserts = [query["sql"] for query in queries.captured_queries if "INSERT" in query["sql"]]
    if connection.vendor == "mysql":
        assert len(inserts) > 2
        head = inserts[0][: inserts[0].index("VALUES")]
        assert all(len(sql.encode()) <= len(head) + 4000 + 10 for sql in inserts)
    else:
        assert len(inserts) == 2  # executemany, a batch at a time
    assert sorted(HistoryEvent.objects.values_list("attempt_number", flat=True)) == list(range(len(rows)))
    assert HistoryEvent.objects.filter(reason=long_reason).count() == 10


def test_conflicting_rows_are_skipped_when_asked(learner_ids):
    fields = ("user", "name", "last_name", "username", "email")
    new_user = get_user_model().objects.create(username="newcomer").pk
    insert_rows(
        Learner,
        fields,
        [(learner_ids[0], "Replaced", "", "", ""), (new_user, "New Comer", "Comer", "newcomer", "")],
        ignore_conflicts=True,
    )
    assert Learner.objects.get(pk=learner_ids[0]).name == f"Learner {learner_ids[0]}"
    assert Learner.objects.get(pk=new_user).name == "New Comer"


def test_no_rows_no_statement():
    with CaptureQueriesContext(connection) as queries:
        insert_rows(HistoryEvent, HISTORY_FIELDS, [])
    assert queries.captured_queries == []
