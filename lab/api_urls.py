"""The API router: wiring, so it may import every app's API module."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from community.api import EventViewSet
from lab.api import OrganisationViewSet, RegionViewSet
from members.api import OrganisationPageViewSet
from programmes.api import ProgrammeViewSet, ProjectViewSet, ThemeViewSet
from publications.api import PublicationViewSet
from superpublic.api import SpaceViewSet

router = DefaultRouter()
router.register("programmes", ProgrammeViewSet, basename="programme")
router.register("projects", ProjectViewSet, basename="project")
router.register("themes", ThemeViewSet, basename="theme")
router.register("regions", RegionViewSet, basename="region")
router.register("organisations", OrganisationViewSet, basename="organisation")
router.register("publications", PublicationViewSet, basename="publication")
router.register("spaces", SpaceViewSet, basename="space")
router.register("events", EventViewSet, basename="event")
router.register("organisation-pages", OrganisationPageViewSet, basename="organisationpage")

urlpatterns = [
    path("api/v1/", include((router.urls, "api"), namespace="v1")),
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
]
