"""The corpus page."""

from django.urls import path

from kslars.web.corpus import views

urlpatterns = [path("corpus/", views.corpus_page, name="corpus")]
