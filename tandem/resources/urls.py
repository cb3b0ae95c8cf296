from django.urls import path  # noqa: F401

from tandem.resources.views import allocations, leveling, resources, utilisation

app_name = "resources"

urlpatterns = [
    # Resources, skills and leave.
    path("resources/", resources.resource_list, name="resource_list"),
    path("resources/new/", resources.resource_create, name="resource_create"),
    path("resources/<int:pk>/", resources.resource_detail, name="resource_detail"),
    path("resources/<int:pk>/edit/", resources.resource_update, name="resource_update"),
    path("resources/<int:pk>/deactivate/", resources.resource_deactivate, name="resource_deactivate"),
    path("resources/<int:pk>/leave/new/", resources.leave_create, name="leave_create"),
    path("leave/<int:pk>/edit/", resources.leave_update, name="leave_update"),
    path("leave/<int:pk>/delete/", resources.leave_delete, name="leave_delete"),
    path("skills/", resources.skill_list, name="skill_list"),
    path("skills/<int:pk>/edit/", resources.skill_update, name="skill_update"),
    path("skills/<int:pk>/delete/", resources.skill_delete, name="skill_delete"),
    # Allocations.
    path("tasks/<int:task_id>/allocations/", allocations.task_allocations, name="task_allocations"),
    path("allocations/<int:pk>/edit/", allocations.allocation_update, name="allocation_update"),
    path("allocations/<int:pk>/delete/", allocations.allocation_delete, name="allocation_delete"),
    # Utilisation and timelines.
    path("utilisation/", utilisation.utilisation_page, name="utilisation"),
    path("utilisation/<int:pk>/<str:week>/", utilisation.utilisation_cell, name="utilisation_cell"),
    path("<int:pk>/timeline/", utilisation.resource_timeline_page, name="timeline"),
    # Conflicts.
    # Suggestions and staff requests.
    path("", ("tandem.resources.views.suggestions", None, None)),  # its urlpatterns, included by name
    # Leveling and priority.
    path("leveling/", leveling.leveling_home, name="leveling_home"),
    path("leveling/<int:pk>/", leveling.leveling_detail, name="leveling_detail"),
    path("leveling/<int:pk>/accept/", leveling.leveling_accept, name="leveling_accept"),
    path("leveling/<int:pk>/discard/", leveling.leveling_discard, name="leveling_discard"),
    path("leveling/project/<int:pk>/", leveling.project_level, name="project_level"),
    path("priority/<int:pk>/", leveling.priority_override, name="priority_override"),
]
