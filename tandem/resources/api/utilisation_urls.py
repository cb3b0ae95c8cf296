"""The utilisation endpoints, included from `tandem.resources.api.urls` under utilisation/."""

from django.urls import path

from tandem.resources.api.utilisation import UtilisationCellView, UtilisationView

urlpatterns = [
    path("", UtilisationView.as_view(), name="resourceutilisation"),
    path("cell/", UtilisationCellView.as_view(), name="resourceutilisation_cell"),
]
