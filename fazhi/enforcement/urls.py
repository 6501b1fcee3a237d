"""URLs of the enforcement pages, under /enforcement/.

Cases (cases/views.py), leads and tips (leads/views.py) and supervision — file
review, rectification and inaction flags (supervision/views.py) — and the staff's
publicity work (publicity/views.py, ``staff_urlpatterns``) share one namespace; the
public pages have their own, under /gongshi/ (publicity/urls.py).
"""

from fazhi.enforcement.cases import views
from fazhi.enforcement.leads import views as lead_views
from fazhi.enforcement.publicity import views as public_views
from fazhi.enforcement.supervision import views as supervision_views

app_name = "enforcement"
urlpatterns = [*views.urlpatterns, *lead_views.urlpatterns,
               *supervision_views.urlpatterns, *public_views.staff_urlpatterns]
