"""Pages of the annotation app: the editor and the read-only link page."""

from django.urls import path

from kslars.web.annotation import views

urlpatterns = [
    path("p/<int:project_id>/", views.editor, name="editor"),
    path("s/<str:token>/", views.shared_editor, name="shared-editor"),
]
