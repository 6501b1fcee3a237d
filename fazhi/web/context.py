"""Template context shared by every page: navigation and administrators' banners."""

from __future__ import annotations

from fazhi.web.navigation import menu_for


def navigation(request) -> dict:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    from fazhi.web.views.home import provisional_banner

    return {"nav_items": menu_for(user, request.path), **provisional_banner(user)}
