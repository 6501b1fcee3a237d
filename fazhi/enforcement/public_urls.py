"""The public enforcement pages (执法公示), under /gongshi/: no login."""

from fazhi.enforcement import public_views

app_name = "publicity"
urlpatterns = [*public_views.urlpatterns]
