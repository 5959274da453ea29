"""The reference list of régions académiques and académies, shipped with the code."""

import json
from pathlib import Path

DATA_FILE = Path(__file__).parent / "data" / "academies.json"


def load_reference() -> list[dict]:
    return json.loads(DATA_FILE.read_text(encoding="utf-8"))["regions"]


def sync_reference(region_model, academy_model) -> None:
    """Create or update every région académique and académie (idempotent)."""
    for region_data in load_reference():
        region, _ = region_model.objects.update_or_create(
            code=region_data["code"], defaults={"name": region_data["name"]}
        )
        for academy_data in region_data["academies"]:
            academy_model.objects.update_or_create(
                code=academy_data["code"],
                defaults={"name": academy_data["name"], "region": region, "holiday_zone": academy_data["zone"]},
            )
