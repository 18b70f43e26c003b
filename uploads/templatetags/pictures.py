from django import template

from uploads import renditions

register = template.Library()


@register.simple_tag
def picture(image, kind, alt="", css_class="", lazy=True):
    """{% picture paper.thumbnail "thumbnail" alt=paper.title %}: see uploads/renditions.py."""
    return renditions.picture(image, kind, alt=alt, css_class=css_class, lazy=lazy)
