from django.contrib import admin
from django.urls import include, path

from partenariats.api.urls import api

urlpatterns = [
    path("", include("partenariats.dashboard.urls")),
    path("", include("partenariats.core.urls")),
    path("compte/", include("partenariats.accounts.urls")),
    path("annuaire/", include("partenariats.directory.urls")),
    path("conventions/importer/", include("partenariats.intake.urls")),
    path("conventions/", include("partenariats.conventions.urls")),
    path("", include("partenariats.activities.urls")),
    path("indicateurs/", include("partenariats.indicators.urls")),
    path("", include("partenariats.steering.urls")),
    path("api/", api.urls),
    path("django-admin/", admin.site.urls),
]

handler403 = "partenariats.core.views.permission_denied"
handler404 = "partenariats.core.views.page_not_found"
handler500 = "partenariats.core.views.server_error"
