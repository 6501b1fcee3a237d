"""URLs of the permit window's pages, under /permits/."""

from fazhi.permits import views

app_name = "permits"
urlpatterns = [*views.urlpatterns]
