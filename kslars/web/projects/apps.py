from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "kslars.web.projects"
    label = "projects"
