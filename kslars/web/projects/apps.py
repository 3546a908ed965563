from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    name = "kslars.web.projects"
    label = "projects"

    def ready(self) -> None:
        from kslars.web.projects.jobs import register_job_kinds

        register_job_kinds()
