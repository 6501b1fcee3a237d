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
    # One page per officer action, from the table of steps in views.STEPS.
    *[path(f"<int:pk>/{step.path}", views.step_view(name), name=name)
      for name, step in views.STEPS.items()],
    path("consultations/<int:pk>/answer/", views.consult_answer, name="consult_answer"),
    path("extensions/<int:pk>/decide/", views.extension_decide, name="extension_decide"),
    path("<int:pk>/instruments/<int:instrument_pk>/", views.instrument_download,
         name="instrument"),
]
