"""Write many rows at once, without signals: ids taken ahead, COPY on PostgreSQL.

For generated data (``fazhi province_data``) and the audit chain's ``append_many``:
rows that the services would have written one at a time, written in one pass. A
row written here has no signal sent and no ``save`` called, so whoever calls these
sets every field the model's ``save`` or services would have set.
"""

from __future__ import annotations

from operator import attrgetter

from django.db import DEFAULT_DB_ALIAS, connection, connections, models

BATCH = 5000
# Plain values go to COPY as they are (the driver adapts str, int, bool, date and
# an aware datetime); any other field, or one set on save, is prepared as save would.
_PLAIN = (models.CharField, models.TextField, models.IntegerField,
          models.BooleanField, models.DateField, models.ForeignKey)


_HANDED: dict[str, int] = {}  # SQLite: the highest id handed out, by table


def reserve_ids(model, n: int) -> list[int]:
    """``n`` primary keys for rows of ``model`` about to be inserted with them:
    from the table's sequence on PostgreSQL; elsewhere (SQLite, where the caller's
    transaction already holds the write lock) after the highest id in the table or
    handed out before, so two reservations before an insert never overlap."""
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id')) "
                           "FROM generate_series(1, %s)", [table, n])
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
        top = max(cursor.fetchone()[0], _HANDED.get(table, 0))
    _HANDED[table] = top + n
    return list(range(top + 1, top + 1 + n))


def with_ids(model, objs: list) -> list:
    """Give ``objs`` (unsaved rows of ``model``) their primary keys; return them."""
    for obj, pk in zip(objs, reserve_ids(model, len(objs)), strict=True):
        obj.pk = pk
    return objs


def insert(model, objs: list) -> None:
    """Insert ``objs`` without signals: COPY on PostgreSQL, bulk INSERTs elsewhere.
    Fields are prepared as ``save`` would (``auto_now_add``). On PostgreSQL the ids
    must be set (``with_ids``) or all unset."""
    if not objs:
        return
    if connection.vendor != "postgresql":
        # A plain QuerySet: the audit chain's manager refuses bulk_create to callers
        # other than the chain itself.
        models.QuerySet(model).bulk_create(objs, batch_size=BATCH)
        return
    fields = [f for f in model._meta.concrete_fields
              if not (f.primary_key and objs[0].pk is None)]  # else the sequence's
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    table = connection.ops.quote_name(model._meta.db_table)
    db = connections[DEFAULT_DB_ALIAS]
    getters = []
    for f in fields:
        if isinstance(f, _PLAIN) and not getattr(f, "auto_now", False) and not \
                getattr(f, "auto_now_add", False):
            getters.append(attrgetter(f.attname))
        else:
            getters.append(lambda obj, f=f: f.get_db_prep_save(f.pre_save(obj, True),
                                                               db))
    with db.cursor() as cursor, cursor.cursor.copy(
            f"COPY {table} ({columns}) FROM STDIN") as copy:
        for obj in objs:
            copy.write_row([get(obj) for get in getters])
