from django.urls import path  # noqa: F401

app_name = "resources"

urlpatterns = [
    # Resources, skills and leave.
    # Allocations.
    # Utilisation and timelines.
    # Conflicts.
    # Suggestions and staff requests.
    path("", ("tandem.resources.views.suggestions", None, None)),  # its urlpatterns, included by name
    # Leveling and priority.
]
