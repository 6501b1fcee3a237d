"""Shared pieces of the pages that every app may use (below the apps, above core)."""
