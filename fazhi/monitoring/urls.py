"""URLs of the monitoring pages, under /monitoring/: the bureau's pages (views.py),
imports with their progress (import_views.py) and the phone pages (field_urls.py)."""

from django.urls import include, path

from fazhi.monitoring import field_urls, import_views, views

app_name = "monitoring"
urlpatterns = [*views.urlpatterns, *import_views.urlpatterns,
               path("field/", include(field_urls.urlpatterns))]
