"""Pages of the annotation app."""

urlpatterns: list = []
