from django.urls import path

from publications import views
from publications.feeds import PublicationFeed

app_name = "publications"

urlpatterns = [
    path("", views.publication_list, name="list"),
    path("feed/", PublicationFeed(), name="feed"),
    path("alertes/", views.reader_preference, name="preference"),
    path("<slug:slug>/", views.publication_detail, name="detail"),
    path("<slug:slug>/prevenez-moi/", views.release_alert, name="release_alert"),
    path("<slug:slug>/fichiers/<int:file_id>/", views.download, name="download"),
]
