from types import SimpleNamespace

from django.conf import settings

# django-dsfr's templates read SITE_CONFIG; its own context processor queries the database on
# every request, so the configuration is built once here from settings instead.
_SITE_CONFIG = SimpleNamespace(
    site_title=settings.SITE_TITLE,
    site_tagline=settings.SITE_TAGLINE,
    header_brand_html="République<br>française",
    footer_brand_html="République<br>française",
    footer_description=(
        "Plateforme de suivi des conventions de partenariat entre les académies et le monde économique."
    ),
    beta_tag=True,
    mourning=False,
    notice_title="",
    notice_description="",
    accessibility_status=settings.ACCESSIBILITY_STATUS,
)


def site(request):
    return {"SITE_CONFIG": _SITE_CONFIG}
