"""API shapes of the territories: région académique, académie, bassin de formation."""

from ninja import Field, Schema

from partenariats.territories.models import HolidayZone


class RegionOut(Schema):
    """Une région académique."""

    id: int
    code: str = Field(description="Code de la région (code INSEE), par exemple « 93 ».")
    name: str = Field(description="Nom de la région académique.")


class AcademyRef(Schema):
    """L’académie d’un enregistrement, en bref."""

    code: str = Field(description="Code de l’académie, par exemple « 02 » pour Aix-Marseille.")
    name: str = Field(description="Nom de l’académie.")


class AcademyOut(Schema):
    """Une académie."""

    id: int
    code: str = Field(description="Code de l’académie, par exemple « 02 » pour Aix-Marseille.")
    name: str = Field(description="Nom de l’académie, sans « Académie de ».")
    region: RegionOut = Field(description="Région académique de l’académie.")
    holiday_zone: HolidayZone = Field(description="Zone de vacances scolaires (code).")
    holiday_zone_label: str = Field(description="Zone de vacances scolaires, en clair.")

    @staticmethod
    def resolve_holiday_zone_label(obj) -> str:
        return obj.get_holiday_zone_display()


class BasinOut(Schema):
    """Un bassin de formation (territoire d’un CLEE)."""

    id: int
    code: str = Field(description="Code du bassin, vide s’il n’en a pas.")
    name: str = Field(description="Nom du bassin de formation.")
    academy: AcademyRef = Field(description="Académie du bassin.")
