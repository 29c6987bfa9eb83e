from django import template

register = template.Library()


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
