from django.http import HttpResponse


def floor(request):
    """The benchmark's reference: no query, no template, the full middleware stack."""
    return HttpResponse("ok", content_type="text/plain")
