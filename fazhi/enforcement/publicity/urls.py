"""The public enforcement pages (执法公示), under /gongshi/: no login."""

from fazhi.enforcement.publicity import views

app_name = "publicity"
urlpatterns = [*views.urlpatterns]
