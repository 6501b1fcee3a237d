"""One scoping mechanism for every selector and API: a caller sees its subtree.

An object outside the caller's subtree does not exist for the caller: it is a 404,
never a 403, so that a neighbouring county cannot even learn that it exists.
"""

from __future__ import annotations

from django.db.models import Model, Q, QuerySet
from django.http import Http404

from fazhi.core.roles import BUSINESS_ROLES


def scope_q(user, field: str = "org_unit", *, business: bool = False) -> Q:
    """Return the filter keeping rows whose ``field`` lies in the user's subtree.

    ``field=""`` scopes organisation units themselves. ``business=True`` keeps
    nothing for a user without a business role: the three administrators (等保 2.0)
    and an account not yet given a role see no matter, clock or party.
    """
    org = getattr(user, "org_unit", None)
    if not getattr(user, "is_authenticated", False) or org is None:
        return Q(pk__in=[])
    if business and not user.has_role(*BUSINESS_ROLES):
        return Q(pk__in=[])
    lookup = f"{field}__path__startswith" if field else "path__startswith"
    return Q(**{lookup: org.path})


def scoped(qs: QuerySet, user, field: str = "org_unit", *,
           business: bool = False) -> QuerySet:
    """Restrict ``qs`` to the caller's subtree (see scope_q for ``business``)."""
    return qs.filter(scope_q(user, field, business=business))


def get_scoped_or_404(qs: QuerySet, user, field: str = "org_unit", *,
                      business: bool = False, **lookup) -> Model:
    """Fetch one object in the caller's subtree, or raise Http404."""
    try:
        return scoped(qs, user, field, business=business).get(**lookup)
    except (qs.model.DoesNotExist, ValueError, TypeError):
        raise Http404("未找到该记录") from None
