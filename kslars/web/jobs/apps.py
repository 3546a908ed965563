from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "kslars.web.jobs"
    label = "jobs"
