"""URL map: the pages under /, the API under /api/v1/."""

from django.urls import include, path

from fazhi.web.ops import health

urlpatterns = [
    path("healthz", health, name="health"),
    path("api/", include("fazhi.api.urls")),
    path("disclosure/", include("fazhi.disclosure.urls")),
    path("enforcement/", include("fazhi.enforcement.urls")),
    path("gongshi/", include("fazhi.enforcement.publicity.urls")),
    path("permits/", include("fazhi.permits.urls")),
    path("pingjia/", include("fazhi.permits.rating_urls")),
    path("disputes/", include("fazhi.disputes.views")),
    path("monitoring/", include("fazhi.monitoring.urls")),
    path("learning/", include("fazhi.learning.urls")),
    path("reports/", include("fazhi.reports.urls")),
    path("", include("fazhi.web.urls")),
]
