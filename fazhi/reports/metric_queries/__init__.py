"""One query per metric: the records of an organisation's subtree that a figure counts.

Each query takes the organisation unit and the period (first, last: both included) and
returns the matters counted as ``RecordRef``s — with the amount each adds for a sum or
an average, whether it is in the numerator for a rate, and its breakdown key. The
figure itself is computed from these records (``metrics.py``), so it can never differ
from the list behind it. Where an app already counts a figure (the window's
statistics, the three rates, the OGI annual table, the learning selectors) the query
calls that code rather than repeating it.
"""

from __future__ import annotations

from collections.abc import Callable

from fazhi.reports.metric_queries.base import (
    OrgScope,
    Period,
    RecordRef,
    subtree_ids,
    url_maker,
)
from fazhi.reports.metric_queries.clocks import CLOCKS
from fazhi.reports.metric_queries.disclosure import DISCLOSURE
from fazhi.reports.metric_queries.disputes import DISPUTES
from fazhi.reports.metric_queries.enforcement import ENFORCEMENT, TIPS
from fazhi.reports.metric_queries.learning import LEARNING
from fazhi.reports.metric_queries.monitoring import MONITORING
from fazhi.reports.metric_queries.permits import PERMITS
from fazhi.reports.metric_queries.probes import PROBES, PROBES_BY_ID

__all__ = ["PROBES", "PROBES_BY_ID", "QUERIES", "OrgScope", "Period", "RecordRef",
           "subtree_ids", "url_maker"]

QUERIES: dict[str, Callable[[object, Period], list[RecordRef]]] = {
    **LEARNING, **PERMITS, **TIPS, **ENFORCEMENT, **DISPUTES, **DISCLOSURE,
    **MONITORING, **CLOCKS}
