from django.apps import AppConfig


class AnnotationConfig(AppConfig):
    name = "kslars.web.annotation"
    label = "annotation"
