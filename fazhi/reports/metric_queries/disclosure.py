"""Disclosure metrics, through the OGI annual table (fazhi.disclosure.stats)."""

from __future__ import annotations

from fazhi.reports.metric_queries.base import (
    Period,
    RecordRef,
    in_subtree,
    memoised,
    refs,
    url_maker,
    values_of,
)

# --- disclosure (fazhi.disclosure.stats: the OGI annual table) ---------------------


def _calendar_year(p: Period) -> int | None:
    first, last = p
    whole = (first.year == last.year and (first.month, first.day) == (1, 1)
             and (last.month, last.day) == (12, 31))
    return first.year if whole else None


def _disclosure(row_kind: str, field: str):
    """A row of table 3 (total column) for a calendar year; the same test for any
    other period: received in it, or concluded (closed with an outcome) in it."""

    def query(org, p: Period) -> list[RecordRef]:
        from fazhi.disclosure.models import DisclosureRequest

        year = _calendar_year(p)
        if year is not None:
            from fazhi.disclosure.stats import ogi_table_for

            # Several figures read the same table: build it once per page.
            table = memoised(("ogi_table", org.pk, year),
                             lambda: ogi_table_for(org=org, year=year))
            row = table.layout.row_of_kind(row_kind)
            column = next(c for c in table.layout.columns if c.kind == "total")
            rows = DisclosureRequest.objects.filter(
                pk__in=table.cell(row.code, column.code).ids)
        else:
            rows = DisclosureRequest.objects.filter(in_subtree(org),
                                                    **{f"{field}__range": p})
        return _request_refs(rows, field)

    return query


def _request_refs(qs, field: str) -> list[RecordRef]:
    rows = values_of(qs.order_by(field, "pk"), "number", "content", field)
    return refs(rows, url_maker("disclosure:detail"),
                 lambda r: f"{r.number} {r.content[:30]}", lambda r: getattr(r, field))


def _disclosure_late(org, p: Period) -> list[RecordRef]:
    from fazhi.disclosure.models import DisclosureRequest

    rows = DisclosureRequest.objects.filter(in_subtree(org), replied_late=True,
                                            replied_on__range=p)
    return _request_refs(rows, "replied_on")


DISCLOSURE = {
    "disclosure.requests": _disclosure("received_this_year", "received_on"),
    "disclosure.replied": _disclosure("total", "closed_on"),
    "disclosure.late": _disclosure_late,
}
