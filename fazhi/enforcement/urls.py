"""URLs of the enforcement pages, under /enforcement/.

Cases (cases/views.py), leads and tips (leads/views.py) and supervision — file
review, rectification and inaction flags (supervision/views.py) — and the staff's
publicity work (publicity/views.py, ``staff_urlpatterns``) share one namespace; the
public pages have their own, under /gongshi/ (publicity/urls.py).
"""

from fazhi.enforcement.cases import views as cases
from fazhi.enforcement.leads import views as leads
from fazhi.enforcement.publicity import views as publicity
from fazhi.enforcement.supervision import views as supervision

app_name = "enforcement"
urlpatterns = [*cases.urlpatterns, *leads.urlpatterns, *supervision.urlpatterns,
               *publicity.staff_urlpatterns]
