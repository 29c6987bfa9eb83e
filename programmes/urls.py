from django.urls import path

from programmes import views

app_name = "programmes"

urlpatterns = [
    path("programmes/", views.catalogue, name="list"),
    path("programmes/mes-demandes/", views.my_requests, name="my_requests"),
    path("programmes/<slug:slug>/", views.programme_detail, name="detail"),
    path("programmes/<slug:slug>/demander/", views.request_create, name="request"),
    path("projets/", views.project_list, name="projects"),
    path("projets/<slug:slug>/", views.project_detail, name="project"),
    path("regions/", views.region_list, name="regions"),
    path("regions/<slug:slug>/", views.region_detail, name="region"),
]
