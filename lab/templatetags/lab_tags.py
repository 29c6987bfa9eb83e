from django import template
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe

register = template.Library()
SELECTED = mark_safe(" selected")


@register.filter
def startswith(value: str, prefix: str) -> bool:
    """True when `value` starts with a non-empty `prefix` (for the current nav item)."""
    return bool(prefix) and str(value).startswith(str(prefix))


@register.filter(name="markdown")
def markdown_filter(text: str):
    """Staff-written Markdown as sanitised HTML."""
    from lab.lib.markdown import render_markdown

    return render_markdown(text)


@register.simple_tag(takes_context=True)
def query_with(context, **changes) -> str:
    """The current query string with some parameters changed (None removes one); page resets."""
    params = context["request"].GET.copy()
    params.pop("page", None)
    for key, value in changes.items():
        if value is None or value == "":
            params.pop(key, None)
        else:
            params[key] = value
    encoded = params.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.simple_tag
def jsonld(data: dict):
    """schema.org metadata as JSON-LD, escaped like json_script (never executed, so CSP-safe)."""
    import json

    from django.utils.html import format_html
    from django.utils.safestring import mark_safe

    if not isinstance(data, dict):
        return ""
    escapes = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}
    payload = json.dumps(
        {"@context": "https://schema.org", **data}, ensure_ascii=False, default=str
    ).translate(escapes)
    return format_html('<script type="application/ld+json">{}</script>', mark_safe(payload))  # noqa: S308


@register.simple_tag
def facet_options(options, chosen):
    """A facet's <option>s: each label with its count, the chosen value selected.

    Built in one pass rather than by a template loop: a list page has dozens of options, and
    four lookups per option in the template language cost more than the rest of its card.
    """
    chosen = "" if chosen is None else str(chosen)
    return format_html_join(
        "",
        '<option value="{}"{}>{} ({})</option>',
        ((o.value, SELECTED if o.value == chosen else "", o.label, o.count) for o in options),
    )
