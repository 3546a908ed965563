from django.apps import AppConfig


class ProcessingConfig(AppConfig):
    name = "kslars.web.processing"
    label = "processing"

    def ready(self) -> None:
        from kslars.web.processing.jobs import register_job_kinds

        register_job_kinds()
