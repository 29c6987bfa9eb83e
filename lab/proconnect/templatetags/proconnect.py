from allauth.socialaccount.adapter import get_adapter
from allauth.socialaccount.models import SocialApp
from django import template

register = template.Library()


@register.simple_tag(takes_context=True)
def proconnect_provider(context):
    """The ProConnect provider when it is configured, else None (no button, no link).

    Reads the settings only: the provider is not contacted before someone clicks.
    """
    request = context.get("request")
    try:
        return get_adapter(request).get_provider(request, "proconnect")
    except SocialApp.DoesNotExist:
        return None
