from django.apps import AppConfig


class YouthConfig(AppConfig):
    name = "youth"
    verbose_name = "Jeunes et parcours"
