"""URLs of the disclosure pages, under /disclosure/."""

from django.urls import path

from fazhi.disclosure import views

app_name = "disclosure"
urlpatterns = [
    path("", views.request_list, name="list"),
    path("export.xlsx", views.request_export, name="export"),
    path("new/", views.request_register, name="register"),
    path("stats/", views.stats, name="stats"),
    path("stats/export.xlsx", views.stats_export, name="stats_export"),
    path("stats/<int:year>/<str:row>/<str:col>/", views.stats_cell, name="stats_cell"),
    path("<int:pk>/", views.request_detail, name="detail"),
    path("<int:pk>/correction/", views.correction_issue, name="correction"),
    path(
        "<int:pk>/correction/complete/",
        views.correction_complete,
        name="correction_complete",
    ),
    path("<int:pk>/abandon/", views.abandon, name="abandon"),
    path("<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("<int:pk>/consult/", views.consult, name="consult"),
    path("consultations/<int:pk>/answer/", views.consult_answer, name="consult_answer"),
    path("<int:pk>/extension/", views.extension_ask, name="extension"),
    path(
        "extensions/<int:pk>/decide/", views.extension_decide, name="extension_decide"
    ),
    path("<int:pk>/reply/", views.reply, name="reply"),
    path("<int:pk>/deliver/", views.deliver, name="deliver"),
    path("<int:pk>/fee/", views.fee, name="fee"),
    path(
        "<int:pk>/instruments/<int:instrument_pk>/",
        views.instrument_download,
        name="instrument",
    ),
]
