"""Pages of the corpus-wide search: the search page and the video stills its results show."""

from django.urls import path

from kslars.web.search import stills, views

urlpatterns = [
    path("search/", views.search_page, name="search"),
    path("p/<int:project_id>/still/<int:at_ms>", stills.project_still, name="project-still"),
]
