from partenariats.activities import urls_activities, urls_import, urls_links, urls_plans

app_name = "activities"

# One route module per part, so that plans, activities, magic links and imports evolve apart.
urlpatterns = urls_plans.urlpatterns + urls_activities.urlpatterns + urls_links.urlpatterns + urls_import.urlpatterns
