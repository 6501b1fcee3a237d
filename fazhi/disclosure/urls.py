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
    # One page per action, from the tables of steps in views.
    *views.PAGES.urls(),
    *views.CONSULTATION_PAGES.urls(),
    *views.EXTENSION_PAGES.urls(),
    path("<int:pk>/instruments/<int:instrument_pk>/", views.instrument_download,
         name="instrument"),
]
