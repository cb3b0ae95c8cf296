"""The utilisation pages, included from `tandem.resources.urls` (names in the resources namespace)."""

from django.urls import path

from tandem.resources.views import utilisation

urlpatterns = [
    path("utilisation/", utilisation.utilisation_page, name="utilisation"),
    path("utilisation/cell/", utilisation.utilisation_cell, name="utilisation_cell"),
    path("<int:pk>/timeline/", utilisation.resource_timeline_page, name="timeline"),
]
