from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from core.menu import MenuEntry


class TeachingConfig(AppConfig):
    name = "teaching"
    verbose_name = "Teaching"
    default_auto_field = "django.db.models.BigAutoField"
    public_models = ["Course", "CourseLink"]
    menu_entries = [MenuEntry("teaching", _("teaching"), "teaching:index", model="teaching.Course")]
