from partenariats.conventions import urls_edit, urls_feeds, urls_read

app_name = "conventions"

# Three route modules so that reading, editing and feeds evolve independently.
urlpatterns = urls_read.urlpatterns + urls_edit.urlpatterns + urls_feeds.urlpatterns
