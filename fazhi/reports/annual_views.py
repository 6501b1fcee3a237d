"""Routes of this part of the reports app (filled in by its module)."""

urlpatterns: list = []
