"""API v1 base; each module adds its routes here. Schema and an offline browser."""

from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from fazhi.api import views
from fazhi.disclosure import api as disclosure
from fazhi.enforcement.cases import api as enforcement
from fazhi.permits import api as permits

urlpatterns = [
    path("v1/auth/token/", views.TokenView.as_view(), name="api-token"),
    path("v1/me/", views.MeView.as_view(), name="api-me"),
    path("v1/org-units/", views.OrgUnitList.as_view(), name="api-org-units"),
    path("v1/org-units/<str:division_code>/", views.OrgUnitDetail.as_view(),
         name="api-org-unit"),
    path("v1/clocks/", views.ClockList.as_view(), name="api-clocks"),
    path("v1/clocks/<int:pk>/", views.ClockDetail.as_view(), name="api-clock"),
    path("v1/notifications/", views.NotificationList.as_view(), name="api-notifications"),
    path("v1/evidence/<int:pk>/", views.EvidenceDetail.as_view(), name="api-evidence"),
    path("v1/evidence/<int:pk>/download/", views.EvidenceDownload.as_view(),
         name="api-evidence-download"),
    path("v1/audit-events/", views.AuditEventList.as_view(), name="api-audit-events"),
    path("v1/audit-events/<int:pk>/", views.AuditEventDetail.as_view(),
         name="api-audit-event"),
    path("v1/disclosure-requests/", disclosure.DisclosureRequestList.as_view(),
         name="api-disclosure-requests"),
    path("v1/disclosure-requests/<int:pk>/", disclosure.DisclosureRequestDetail.as_view(),
         name="api-disclosure-request"),
    path("v1/enforcement/cases/", enforcement.CaseList.as_view(),
         name="api-enforcement-cases"),
    path("v1/enforcement/cases/<int:pk>/", enforcement.CaseDetail.as_view(),
         name="api-enforcement-case"),
    path("v1/enforcement/cases/<int:pk>/actions/<str:action>/",
         enforcement.CaseAction.as_view(), name="api-enforcement-case-action"),
    path("v1/permits/applications/", permits.ApplicationList.as_view(),
         name="api-permit-applications"),
    path("v1/permits/applications/<int:pk>/", permits.ApplicationDetail.as_view(),
         name="api-permit-application"),
    path("v1/permits/applications/<int:pk>/actions/<str:action>/",
         permits.ApplicationAction.as_view(), name="api-permit-application-action"),
    path("schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("docs/", views.ApiDocs.as_view(url_name="api-schema"), name="api-docs"),
]
