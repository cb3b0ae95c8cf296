from django.urls import path  # noqa: F401

app_name = "resources"

urlpatterns = [
    # Resources, skills and leave.
    # Allocations.
    *__import__(
        "tandem.resources.urls_allocations", fromlist=["urlpatterns"]
    ).urlpatterns,  # imported here, under the anchor
    # Utilisation and timelines.
    # Conflicts.
    # Suggestions and staff requests.
    path("", ("tandem.resources.views.suggestions", None, None)),  # its urlpatterns, included by name
    # Leveling and priority.
]
