from django.apps import AppConfig
from django.db.models.signals import pre_save
from django.utils.translation import gettext_lazy as _

from core.menu import MenuEntry


class ResearchConfig(AppConfig):
    name = "research"
    verbose_name = "Research"
    default_auto_field = "django.db.models.BigAutoField"
    # Shown on public pages: edits invalidate the page cache (core.registry).
    # Tags are taggit's models, shown only here.
    public_models = [
        "Person",
        "Publication",
        "Authorship",
        "PreviousSlug",
        "MarkMeaning",
        "PaperLink",
        "taggit.Tag",
        "taggit.TaggedItem",
    ]

    def ready(self):
        from taggit.models import Tag

        from .tagging import fill_tag_slug

        pre_save.connect(fill_tag_slug, sender=Tag, dispatch_uid="research-tag-slug")

        from .signals import connect_signals

        connect_signals()

    menu_entries = [MenuEntry("research", _("research"), "research:index")]
    # What the per-paper fragments (templates/jinja2/research/, core.jinja) call
    # where Django templates use {% author_list %}, {% marks_footnote %} and |tag_url.
    jinja_globals = {
        "author_list": "research.templatetags.authors.author_list",
        "marks_footnote": "research.templatetags.authors.footnote_html",
        "tag_url": "research.templatetags.papers.tag_url",
    }
