from django.urls import path

from . import feeds, views

app_name = "news"

urlpatterns = [
    path("", views.index, name="index"),
    path("feed/", feeds.NewsFeed.as_view(), name="feed"),
    path("feed/atom/", feeds.AtomNewsFeed.as_view(), name="feed-atom"),
    path("<slug:slug>/", views.detail, name="detail"),
]
