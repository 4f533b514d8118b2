"""
``IdIn`` and ``TextIn``: the ``__in`` lookup for a chunk's integer ids (written into the statement) and
identifiers (sent as parameters without Django's per-value preparation).
"""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.test.utils import CaptureQueriesContext

from learner_mgmt_plugin._bulk import IdIn, TextIn

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
