"""Allocation pages, included in `tandem.resources.urls` (namespace "resources")."""

from django.urls import path

from tandem.resources.views import allocations

urlpatterns = [
    path("tasks/<int:task_id>/allocations/", allocations.task_allocations, name="task_allocations"),
    path("allocations/<int:pk>/edit/", allocations.allocation_update, name="allocation_update"),
    path("allocations/<int:pk>/delete/", allocations.allocation_delete, name="allocation_delete"),
]
