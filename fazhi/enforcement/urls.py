"""URLs of the enforcement pages, under /enforcement/.

Cases (views.py), leads and tips (lead_views.py) and supervision — file review,
rectification and inaction flags (supervision_views.py) — and the staff's publicity
work (public_views.staff_urlpatterns) share one namespace; the public pages have
their own, under /gongshi/.
"""

from fazhi.enforcement import views
from fazhi.enforcement.leads import views as lead_views
from fazhi.enforcement.publicity import views as public_views
from fazhi.enforcement.supervision import views as supervision_views

app_name = "enforcement"
urlpatterns = [*views.urlpatterns, *lead_views.urlpatterns,
               *supervision_views.urlpatterns, *public_views.staff_urlpatterns]
