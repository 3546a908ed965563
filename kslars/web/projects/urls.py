"""Pages of the projects app, Help, and the translation catalogue for the editor's JavaScript."""

from django.urls import path
from django.views.i18n import JavaScriptCatalog

from kslars.web.projects import media, views

urlpatterns = [
    path("", views.project_list, name="project-list"),
    path("projects/new/", views.project_create, name="project-create"),
    path("p/<int:project_id>/rename/", views.project_rename, name="project-rename"),
    path("p/<int:project_id>/delete/", views.project_delete, name="project-delete"),
    path("p/<int:project_id>/share/", views.project_share, name="project-share"),
    path("p/<int:project_id>/video", media.project_video, name="project-video"),
    path("p/<int:project_id>/thumbnail", media.project_thumbnail, name="project-thumbnail"),
    path("help/", views.help_page, name="help"),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
]
