"""
Multi-row INSERTs and UPDATEs for the hot paths of bulk work (imports, assignments, mass actions).

``bulk_create`` builds a model instance per row and prepares every value of every row through its
field; for the tens of thousands of rows an import writes, that costs several times the database's
own work. Here the callers give database-ready values (shared ones converted once) and the rows go
out as multi-row INSERT statements.
"""

from django.core.exceptions import EmptyResultSet
from django.db import connection, transaction
from django.db.models import F
from django.db.models.constants import OnConflict
from django.db.models.lookups import In

BATCH_SIZE = 1000
# Well under the smallest max_allowed_packet an LMS database has (4 MiB, MySQL 5.7's default).
MAX_STATEMENT_BYTES = 1 << 20


def db_datetime(value):
    """
    A datetime as the database takes it.
    """
    return connection.ops.adapt_datetimefield_value(value)


def db_date(value):
    """
    A date (or None) as the database takes it.
    """
    return connection.ops.adapt_datefield_value(value)


def insert_rows(model, fields, rows, *, ignore_conflicts=False) -> None:
    """
    Insert ``rows`` (tuples of database-ready values of ``fields``, named as on the model; text,
    numbers, dates as the database takes them and None, not binary) into the model's table; with
    ``ignore_conflicts``, rows that would break a unique constraint are skipped.
    """
    rows = list(rows)
    if not rows:
        return
    opts = model._meta
    columns = [opts.get_field(name).column for name in fields]
    on_conflict = OnConflict.IGNORE if ignore_conflicts else None
    quote = connection.ops.quote_name
    head = " ".join(
        (
            connection.ops.insert_statement(on_conflict=on_conflict),
            f"{quote(opts.db_table)} ({', '.join(quote(column) for column in columns)})",
            "VALUES",
        )
    )
    suffix = connection.ops.on_conflict_suffix_sql([opts.get_field(name) for name in fields], on_conflict, None, None)
    # In the caller's transaction; outside one, SQLite would commit (and sync to disk) every row.
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        if connection.vendor == "mysql":
            for values in _mysql_values(connection.connection, rows):
                cursor.execute(f"{head} {values} {suffix}".rstrip())
            return
        sql = f"{head} ({', '.join(['%s'] * len(columns))}) {suffix}".rstrip()
        for start in range(0, len(rows), BATCH_SIZE):
            cursor.executemany(sql, rows[start : start + BATCH_SIZE])


def update_rows(model, values_by_pk: dict, fields, **shared) -> None:
    """
    Set ``fields`` of each row of the model's table that ``values_by_pk`` names by primary key to its
    tuple of database-ready values, and the ``shared`` fields to the same value (database-ready) in all
    of them: one UPDATE per thousand rows, each field a ``CASE`` on the primary key written straight
    into the statement. ``bulk_update`` builds a Django expression per row and field, which costs many
    times the database's own work for thousands of rows.
    """
    if not values_by_pk:
        return
    opts, quote = model._meta, connection.ops.quote_name
    pk = quote(opts.pk.column)
    items = list(values_by_pk.items())
    with transaction.atomic(savepoint=False), connection.cursor() as cursor:
        for start in range(0, len(items), BATCH_SIZE):
            batch = items[start : start + BATCH_SIZE]
            whens = " ".join(f"WHEN {int(key)} THEN %s" for key, _values in batch)
            assignments = [f"{quote(opts.get_field(name).column)} = CASE {pk} {whens} END" for name in fields]
            assignments += [f"{quote(opts.get_field(name).column)} = %s" for name in shared]
            ids = ", ".join(str(int(key)) for key, _values in batch)
            params = [values[index] for index in range(len(fields)) for _key, values in batch]
            cursor.execute(
                f"UPDATE {quote(opts.db_table)} SET {', '.join(assignments)} WHERE {pk} IN ({ids})",
                params + list(shared.values()),
            )


def _mysql_values(driver_connection, rows):
    """
    The rows as the VALUES lists of successive statements, escaped by the MySQL driver as its
    ``executemany`` would. The driver escapes each value of each row with several Python calls; here
    ints are written as they are and any other value is escaped once per thousand rows, since a
    chunk's rows mostly share their values (course, actor, time, terms). That, and statements of a
    thousand rows instead of the driver's 64 KiB, takes a third off the time an import spends writing
    assignments and more off its history.
    """
    literal, encoding = driver_connection.literal, driver_connection.encoding
    # Keyed by type too: 1.0 and 1, or Decimal("1.0") and 1, are one dict key but different literals.
    escaped = {}

    def escape(value):
        if type(value) is int:  # exactly: bools and int enums go through the driver
            return b"%d" % value
        key = (type(value), value)
        encoded = escaped.get(key)
        if encoded is None:
            encoded = escaped[key] = literal(value)
        return encoded

    for start in range(0, len(rows), BATCH_SIZE):
        escaped.clear()  # only a thousand rows' worth of distinct values kept at a time
        statement, size = [], 0
        for row in rows[start : start + BATCH_SIZE]:
            values = b"(" + b",".join(map(escape, row)) + b")"
            if statement and size + len(values) > MAX_STATEMENT_BYTES:
                yield b",".join(statement).decode(encoding)
                statement, size = [], 0
            statement.append(values)
            size += len(values) + 1
        yield b",".join(statement).decode(encoding)


class _ChunkIn(In):
    """
    ``field IN (values)`` for the thousands of values of a chunk; subclasses prepare the values in bulk
    (``get_prep_lookup``) and write the list (``list_sql``).
    """

    def __init__(self, field: str, values):
        super().__init__(F(field), values)

    def process_rhs(self, compiler, connection):
        if not self.rhs:
            raise EmptyResultSet
        return self.list_sql()


class IdIn(_ChunkIn):
    """
    ``field IN (ids)`` for the integer ids of a chunk: ``.filter(IdIn("learner_id", ids))`` selects what
    ``.filter(learner_id__in=ids)`` does. Django prepares every value of an ``__in`` list and the MySQL
    driver escapes each one, which for a chunk's ids costs more than the query itself; these are made
    ints here and written into the statement as they are.
    """

    def get_prep_lookup(self):
        # int() lets nothing but digits into the SQL; sorted for the same statement from the same ids.
        # None matches nothing, as in ``__in`` (a nullable column's values may hold it).
        return sorted({int(value) for value in self.rhs if value is not None})

    def list_sql(self):
        return f"({','.join(map(str, self.rhs))})", ()


class TextIn(_ChunkIn):
    """
    ``field IN (values)`` for the identifiers of a chunk (emails, usernames, employee IDs):
    ``.filter(TextIn("email", emails))``. The values still go to the driver as parameters; only Django's
    preparation of each one, which text columns do not need, is skipped.
    """

    def get_prep_lookup(self):
        return sorted({str(value) for value in self.rhs})

    def list_sql(self):
        return f"({','.join(['%s'] * len(self.rhs))})", list(self.rhs)
