from django.urls import path

from members import views

app_name = "members"

urlpatterns = [
    path("adherer/", views.join, name="join"),
    path("adherer/demande/", views.apply, name="apply"),
    path("organisation/", views.space, name="space"),
    path("organisation/usage.csv", views.usage_csv, name="usage_csv"),
    path("organisation/inviter/", views.invite, name="invite"),
    path("organisation/personnes/<int:pk>/retirer/", views.detach, name="detach"),
    path("organisation/page-publique/", views.page_settings, name="page_settings"),
    path("organisation/domaines/", views.domains, name="domains"),
    path("organisation/invitation/<str:token>/", views.invitation, name="invitation"),
    path("organisations/", views.organisations, name="organisations"),
    path("organisations/<slug:slug>/", views.organisation, name="organisation"),
]
