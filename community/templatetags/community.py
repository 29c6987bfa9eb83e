from django import template

from community.models import Profile

register = template.Library()


@register.inclusion_tag("community/_practitioners.html", takes_context=True)
def practitioners_of(context, project):
    """The people who took part in a project and whose profile the viewer may see."""
    user = context["request"].user
    profiles = Profile.objects.visible_to(user).filter(projects=project).order_by("display_name")
    return {"profiles": profiles}
