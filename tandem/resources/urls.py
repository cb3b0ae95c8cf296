from django.urls import path  # noqa: F401

from tandem.resources.views import utilisation

app_name = "resources"

urlpatterns = [
    # Resources, skills and leave.
    # Allocations.
    # Utilisation and timelines.
    path("utilisation/", utilisation.utilisation_page, name="utilisation"),
    path("utilisation/<int:pk>/<str:week>/", utilisation.utilisation_cell, name="utilisation_cell"),
    path("<int:pk>/timeline/", utilisation.resource_timeline_page, name="timeline"),
    # Conflicts.
    # Suggestions and staff requests.
    # Leveling and priority.
]
