from django.urls import path

from partenariats.conventions import feeds

urlpatterns = [
    path("agenda/", feeds.feed_manage, name="feed_manage"),
    path("agenda/creer/", feeds.feed_create, name="feed_create"),
    path("agenda/revoquer/", feeds.feed_revoke, name="feed_revoke"),
    path("agenda/<str:key>.ics", feeds.feed, name="feed"),
]
