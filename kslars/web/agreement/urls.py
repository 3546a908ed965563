"""The agreement page."""

from django.urls import path

from kslars.web.agreement import views

urlpatterns = [path("agreement/", views.agreement_page, name="agreement")]
