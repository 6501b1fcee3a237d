"""The applicant's rating page (好差评), under /pingjia/: no login, a private link."""

from fazhi.permits import views

app_name = "rating"
urlpatterns = [*views.rating_urlpatterns]
