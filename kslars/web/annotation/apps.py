from django.apps import AppConfig


class AnnotationConfig(AppConfig):
    name = "kslars.web.annotation"
    label = "annotation"

    def ready(self) -> None:
        from kslars.web.annotation.defaults import fill_new_project
        from kslars.web.projects.services import register_new_project_content

        register_new_project_content(fill_new_project)
