"""URLs of the learning pages, under /learning/."""

from fazhi.learning import views

app_name = "learning"
urlpatterns = [*views.urlpatterns]
