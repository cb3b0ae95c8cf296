from django.urls import include, path  # noqa: F401

app_name = "resources"

urlpatterns = [
    # Resources, skills and leave.
    # Allocations.
    # Utilisation and timelines.
    path("", include("tandem.resources.utilisation_urls")),
    # Conflicts.
    # Suggestions and staff requests.
    # Leveling and priority.
]
