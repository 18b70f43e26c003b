from django.urls import path

from . import feeds, views

app_name = "research"

urlpatterns = [
    path("", views.index, name="index"),
    path("feed/", feeds.PaperFeed.as_view(), name="feed"),
    path("feed/atom/", feeds.AtomPaperFeed.as_view(), name="feed-atom"),
    path("tags/<str:slug>/", views.tag_detail, name="tag"),
    path("tags/<str:slug>/feed/", feeds.TagPaperFeed.as_view(), name="tag-feed"),
    path("with/<slug:slug>/", views.coauthor, name="coauthor"),
    path("tags/<str:slug>/feed/atom/", feeds.TagAtomPaperFeed.as_view(), name="tag-feed-atom"),
    # Before "<slug:slug>.bib", which "papers.bib" would also match ("papers" is reserved).
    path("papers.bib", views.papers_bibtex_file, name="papers-bibtex"),
    path("<slug:slug>.bib", views.publication_bibtex_file, name="bibtex"),
    path("<slug:slug>/", views.publication_detail, name="publication"),
]
