"""Pages of the reverse dictionary."""

from django.urls import path

from kslars.web.dictionary import views

urlpatterns = [
    path("dictionary/", views.dictionary_page, name="dictionary"),
]
