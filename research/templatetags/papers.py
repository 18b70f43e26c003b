"""Addresses of the research pages for templates that list many papers."""

from django import template

from core.links import slug_url

register = template.Library()


@register.filter
def tag_url(slug):
    """The tag's page: {% url 'research:tag' slug %} without a resolver run per tag."""
    return slug_url("research:tag", slug)
