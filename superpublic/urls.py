from django.urls import path

from superpublic import views

app_name = "superpublic"

urlpatterns = [
    path("", views.index, name="index"),
    path("agenda.ics", views.agenda_ics, name="agenda_ics"),
    path("espaces/<slug:slug>/", views.space_detail, name="space"),
    path("espaces/<slug:slug>.ics", views.space_ics, name="space_ics"),
    path("reserver/", views.booking_create, name="book"),
    path("mes-reservations/", views.my_bookings, name="my_bookings"),
    path("mes-reservations/flux/", views.feed_reset, name="feed_reset"),
    path("reservations/<int:pk>/", views.booking_detail, name="booking"),
    path("reservations/<int:pk>/annuler/", views.booking_cancel, name="cancel"),
    path("liberer/<str:token>/", views.release, name="release"),
    path("ical/<str:token>.ics", views.private_feed, name="private_feed"),
]
