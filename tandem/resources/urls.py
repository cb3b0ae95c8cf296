from django.urls import path  # noqa: F401

app_name = "resources"

urlpatterns = [
    # Resources, skills and leave.
    # Allocations.
    # Utilisation and timelines.
    # Conflicts.
    # Suggestions and staff requests.
    # Leveling and priority.
]
