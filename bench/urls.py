"""The project's URLs plus the benchmark's floor.

lab.urls uses i18n_patterns, which Django allows only in the root URLconf (include() refuses
it): its patterns are taken as they are rather than include()d.
"""

from django.urls import path

from bench import views
from lab.urls import handler400, handler403, handler404, handler500
from lab.urls import urlpatterns as lab_urlpatterns

__all__ = ["handler400", "handler403", "handler404", "handler500", "urlpatterns"]

urlpatterns = [
    # A trivial view through the same middleware, outside the language prefix.
    path("bench/floor", views.floor, name="bench_floor"),
    *lab_urlpatterns,
]
