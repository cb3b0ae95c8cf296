from django.urls import path  # noqa: F401

from tandem.resources.views import allocations

app_name = "resources"

urlpatterns = [
    # Resources, skills and leave.
    # Allocations.
    path("tasks/<int:task_id>/allocations/", allocations.task_allocations, name="task_allocations"),
    path("allocations/<int:pk>/edit/", allocations.allocation_update, name="allocation_update"),
    path("allocations/<int:pk>/delete/", allocations.allocation_delete, name="allocation_delete"),
    # Utilisation and timelines.
    # Conflicts.
    # Suggestions and staff requests.
    # Leveling and priority.
]
