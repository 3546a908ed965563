from django.apps import AppConfig


class LearningConfig(AppConfig):
    name = "kslars.web.learning"
    label = "learning"

    def ready(self) -> None:
        from kslars.web.jobs.registry import register
        from kslars.web.learning.learn import LABEL, LEARN, learn_project
        from kslars.web.processing.video_jobs import video_job_kind

        register(LEARN, video_job_kind(learn_project, LABEL))
