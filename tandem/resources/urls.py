from django.urls import path

from tandem.resources.views import allocations, conflicts, leveling, resources, suggestions, utilisation

app_name = "resources"

urlpatterns = [
    # Resources, skills and leave.
    path("", resources.resource_list, name="resource_list"),
    path("new/", resources.resource_create, name="resource_create"),
    path("<int:pk>/", resources.resource_detail, name="resource_detail"),
    path("<int:pk>/edit/", resources.resource_update, name="resource_update"),
    path("<int:pk>/deactivate/", resources.resource_deactivate, name="resource_deactivate"),
    path("<int:pk>/leave/new/", resources.leave_create, name="leave_create"),
    path("<int:pk>/timeline/", utilisation.resource_timeline_page, name="timeline"),
    path("leave/<int:pk>/edit/", resources.leave_update, name="leave_update"),
    path("leave/<int:pk>/delete/", resources.leave_delete, name="leave_delete"),
    path("skills/", resources.skill_list, name="skill_list"),
    path("skills/<int:pk>/edit/", resources.skill_update, name="skill_update"),
    path("skills/<int:pk>/delete/", resources.skill_delete, name="skill_delete"),
    # Allocations.
    path("tasks/<int:task_id>/allocations/", allocations.task_allocations, name="task_allocations"),
    path("allocations/<int:pk>/edit/", allocations.allocation_update, name="allocation_update"),
    path("allocations/<int:pk>/delete/", allocations.allocation_delete, name="allocation_delete"),
    # Utilisation.
    path("utilisation/", utilisation.utilisation_page, name="utilisation"),
    path("utilisation/<int:pk>/<str:week>/", utilisation.utilisation_cell, name="utilisation_cell"),
    # Conflicts, their suggestions, and staff requests.
    path("conflicts/", conflicts.conflict_list, name="conflict_list"),
    path("conflicts/<int:pk>/", conflicts.conflict_detail, name="conflict_detail"),
    path("conflicts/<int:pk>/dismiss/", conflicts.conflict_dismiss, name="conflict_dismiss"),
    path("conflicts/<int:pk>/suggestions/", suggestions.conflict_suggestions, name="conflict_suggestions"),
    path("conflicts/<int:pk>/suggestions/apply/", suggestions.suggestion_apply, name="suggestion_apply"),
    path("requests/", suggestions.staff_request_list, name="staff_request_list"),
    path("requests/<int:pk>/fulfil/", suggestions.staff_request_fulfil, name="staff_request_fulfil"),
    path("requests/<int:pk>/decline/", suggestions.staff_request_decline, name="staff_request_decline"),
    path("settings/", conflicts.settings_page, name="settings"),
    path("settings/refresh/", conflicts.refresh_now, name="conflicts_refresh"),
    # Leveling and priority.
    path("leveling/", leveling.leveling_home, name="leveling_home"),
    path("leveling/<int:pk>/", leveling.leveling_detail, name="leveling_detail"),
    path("leveling/<int:pk>/accept/", leveling.leveling_accept, name="leveling_accept"),
    path("leveling/<int:pk>/discard/", leveling.leveling_discard, name="leveling_discard"),
    path("leveling/project/<int:pk>/", leveling.project_level, name="project_level"),
    path("priority/<int:pk>/", leveling.priority_override, name="priority_override"),
]
