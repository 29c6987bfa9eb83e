from django import template

register = template.Library()


@register.filter
def startswith(value: str, prefix: str) -> bool:
    """True when `value` starts with a non-empty `prefix` (for the current nav item)."""
    return bool(prefix) and str(value).startswith(str(prefix))
