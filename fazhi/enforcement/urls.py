"""URLs of the enforcement pages, under /enforcement/.

Cases (views.py), leads and tips (lead_views.py) and supervision — file review,
rectification and inaction flags (supervision_views.py) — share one namespace.
"""

from fazhi.enforcement import lead_views, supervision_views, views

app_name = "enforcement"
urlpatterns = [*views.urlpatterns, *lead_views.urlpatterns,
               *supervision_views.urlpatterns]
