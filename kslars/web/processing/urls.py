"""Pages of the processing app: a batch's progress."""

from django.urls import path

from kslars.web.processing import batch_views

urlpatterns = [path("batches/<int:batch_id>/", batch_views.batch_page, name="batch")]
