from django.contrib import admin

from partenariats.territories.models import AcademicRegion, Academy, Basin, Clee


@admin.register(AcademicRegion)
class AcademicRegionAdmin(admin.ModelAdmin):
    list_display = ["name", "code"]
    search_fields = ["name"]


@admin.register(Academy)
class AcademyAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "region", "holiday_zone"]
    list_filter = ["region", "holiday_zone"]
    search_fields = ["name"]


@admin.register(Basin)
class BasinAdmin(admin.ModelAdmin):
    list_display = ["name", "academy", "code"]
    list_filter = ["academy"]
    search_fields = ["name"]


@admin.register(Clee)
class CleeAdmin(admin.ModelAdmin):
    list_display = ["name", "basin"]
    search_fields = ["name"]
