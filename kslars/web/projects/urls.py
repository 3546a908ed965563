"""Pages of the projects app."""

urlpatterns: list = []
