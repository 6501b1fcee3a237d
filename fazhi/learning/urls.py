"""URLs of the learning pages, under /learning/."""

app_name = "learning"
urlpatterns: list = []
