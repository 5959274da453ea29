"""Région académique → académie → bassin de formation (with its CLEE)."""

from django.db import models
from django.db.models.functions import Lower

from partenariats.core.text import fold


class HolidayZone(models.TextChoices):
    A = "A", "Zone A"
    B = "B", "Zone B"
    C = "C", "Zone C"
    CORSE = "corse", "Corse"
    GUADELOUPE = "guadeloupe", "Guadeloupe"
    GUYANE = "guyane", "Guyane"
    MARTINIQUE = "martinique", "Martinique"
    MAYOTTE = "mayotte", "Mayotte"
    REUNION = "reunion", "La Réunion"


class AcademicRegion(models.Model):
    code = models.CharField("code région", max_length=3, unique=True)
    name = models.CharField("nom", max_length=100, unique=True)

    class Meta:
        verbose_name = "région académique"
        verbose_name_plural = "régions académiques"
        ordering = [Lower("name")]

    def __str__(self):
        return f"Région académique {self.name}"


class AcademyQuerySet(models.QuerySet):
    def by_name(self, name: str) -> "Academy | None":
        """The académie named ``name``, ignoring case, accents and an "académie de" prefix."""
        wanted = fold(name)
        for prefix in ("academie d'", "academie de ", "academie du ", "academie des ", "academie "):
            if wanted.startswith(prefix):
                wanted = wanted[len(prefix) :]
                break
        wanted = wanted.replace("-", " ")
        for academy in self:
            if fold(academy.name).replace("-", " ") == wanted:
                return academy
        return None


class Academy(models.Model):
    code = models.CharField("code académie", max_length=3, unique=True)
    name = models.CharField("nom", max_length=100, unique=True)
    region = models.ForeignKey(
        AcademicRegion, verbose_name="région académique", on_delete=models.PROTECT, related_name="academies"
    )
    holiday_zone = models.CharField("zone de vacances", max_length=12, choices=HolidayZone.choices)

    objects = AcademyQuerySet.as_manager()

    class Meta:
        verbose_name = "académie"
        verbose_name_plural = "académies"
        ordering = [Lower("name")]

    def __str__(self):
        elided = self.name[0] in "AEIOUÉ"
        return f"Académie d'{self.name}" if elided else f"Académie de {self.name}"


class Basin(models.Model):
    """A bassin de formation / réseau de formation, the CLEE's territory."""

    academy = models.ForeignKey(Academy, verbose_name="académie", on_delete=models.PROTECT, related_name="basins")
    name = models.CharField("nom", max_length=150)
    code = models.CharField("code", max_length=20, blank=True)

    class Meta:
        verbose_name = "bassin de formation"
        verbose_name_plural = "bassins de formation"
        ordering = ["academy__name", Lower("name")]
        constraints = [models.UniqueConstraint(fields=["academy", "name"], name="basin_unique_name_per_academy")]

    def __str__(self):
        return f"Bassin {self.name}"


class Clee(models.Model):
    """The comité local école–entreprise of one bassin."""

    basin = models.OneToOneField(Basin, verbose_name="bassin", on_delete=models.PROTECT, related_name="clee")
    name = models.CharField("nom", max_length=150)

    class Meta:
        verbose_name = "CLEE"
        verbose_name_plural = "CLEE"
        ordering = [Lower("name")]

    def __str__(self):
        return self.name
