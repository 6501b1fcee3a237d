"""Routes of the phone pages, under /monitoring/field/ in the namespace monitoring."""

from django.urls import path

from fazhi.monitoring import field_views as views

urlpatterns = [
    path("", views.field_tasks, name="field_tasks"),
    path("tasks/<int:pk>/", views.field_task, name="field_task"),
    path("tasks/<int:pk>/photos/", views.field_photos, name="field_photos"),
    path("tasks/<int:pk>/photos/<int:photo_pk>/image", views.field_photo_image,
         name="field_photo_image"),
    path("tasks/<int:pk>/submit/", views.field_submit, name="field_submit"),
]
