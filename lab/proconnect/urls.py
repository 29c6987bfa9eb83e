"""Included by allauth under /accounts/ (it includes the urls module of every provider)."""

from django.urls import path

from lab.proconnect import views

urlpatterns = [
    path("proconnect/login/", views.login, name="proconnect_login"),
    path("proconnect/login/callback/", views.callback, name="proconnect_callback"),
    path("proconnect/deconnexion/", views.logged_out, name="proconnect_logged_out"),
    path(
        "proconnect/rattachement/", views.attachment_request, name="proconnect_attachment_request"
    ),
]
