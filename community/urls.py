from django.urls import path

from community import views

app_name = "community"

urlpatterns = [
    path("", views.directory, name="directory"),
    path("mon-profil/", views.my_profile, name="my_profile"),
    path("mon-profil/mes-donnees.json", views.my_data, name="my_data"),
    path("mon-profil/supprimer/", views.delete_profile, name="delete_profile"),
    path("mon-compte/supprimer/", views.delete_account, name="delete_account"),
    path("evenements/", views.event_list, name="events"),
    path("evenements/<slug:slug>/", views.event_detail, name="event"),
    path("evenements/<slug:slug>.ics", views.event_ics, name="event_ics"),
    path("evenements/<slug:slug>/inscription/", views.event_register, name="register"),
    path("evenements/<slug:slug>/annulation/", views.event_cancel, name="cancel"),
    path("evenements/<slug:slug>/presences/", views.event_attendance, name="attendance"),
    path("<slug:slug>/", views.profile_detail, name="profile"),
]
