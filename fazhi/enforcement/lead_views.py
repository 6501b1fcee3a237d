"""Placeholder: filled in this change."""

urlpatterns: list = []
