"""URLs of the reports app, under /reports/: metric records (metric_views), the annual
report (annual_views), dashboards (dashboard_views) and baselines (baseline_views)."""

from fazhi.reports import annual_views, baseline_views, dashboard_views, metric_views

app_name = "reports"
urlpatterns = [*metric_views.urlpatterns, *annual_views.urlpatterns,
               *dashboard_views.urlpatterns, *baseline_views.urlpatterns]
