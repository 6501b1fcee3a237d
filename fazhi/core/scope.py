"""One scoping mechanism for every selector and API: a caller sees its subtree.

An object outside the caller's subtree does not exist for the caller: it is a 404,
never a 403, so that a neighbouring county cannot even learn that it exists.
"""

from __future__ import annotations

from django.db.models import Model, Q, QuerySet
from django.http import Http404


def scope_q(user, field: str = "org_unit") -> Q:
    """Return the filter keeping rows whose ``field`` lies in the user's subtree.

    ``field=""`` scopes organisation units themselves.
    """
    org = getattr(user, "org_unit", None)
    if not getattr(user, "is_authenticated", False) or org is None:
        return Q(pk__in=[])
    lookup = f"{field}__path__startswith" if field else "path__startswith"
    return Q(**{lookup: org.path})


def scoped(qs: QuerySet, user, field: str = "org_unit") -> QuerySet:
    """Restrict ``qs`` to the caller's subtree."""
    return qs.filter(scope_q(user, field))


def get_scoped_or_404(qs: QuerySet, user, field: str = "org_unit", **lookup) -> Model:
    """Fetch one object in the caller's subtree, or raise Http404."""
    try:
        return scoped(qs, user, field).get(**lookup)
    except (qs.model.DoesNotExist, ValueError, TypeError):
        raise Http404("未找到该记录") from None
