from django.urls import include, path

from tandem.projects.views import (
    baselines,
    boards,
    exports,
    gantt,
    manage,
    projects,
    tasks,
    templates,
    warnings,
)

app_name = "projects"

urlpatterns = [
    path("", projects.project_list, name="list"),
    path("export/", projects.project_export, name="export"),
    path("new/", manage.project_add, name="add"),
    path("new/from-template/", manage.project_from_template, name="add_from_template"),
    path("import/", manage.project_import, name="import_mspdi"),
    path("warnings/", warnings.warning_list, name="warnings"),
    path("templates/", templates.template_list, name="templates"),
    path("templates/<int:pk>/", templates.template_detail, name="template_detail"),
    path("templates/<int:pk>/delete/", templates.template_remove, name="template_delete"),
    path("calendars/", include("tandem.calendars.urls")),
    path("<int:pk>/", projects.project_detail, name="detail"),
    path("<int:pk>/edit/", manage.project_edit, name="edit"),
    path("<int:pk>/export/mspdi/", manage.project_export, name="export_mspdi"),
    path("<int:pk>/save-as-template/", templates.save_as_template, name="save_as_template"),
    path("<int:pk>/status-updates/", projects.status_update_add, name="status_update_add"),
    path("<int:pk>/calendar.ics", projects.calendar_feed, name="calendar_feed"),
    path("<int:pk>/calendar-feed/", projects.calendar_subscribe, name="calendar_subscribe"),
    path("<int:pk>/gantt/", gantt.gantt, name="gantt"),
    path("<int:pk>/gantt/data/", gantt.gantt_data, name="gantt_data"),
    path("<int:pk>/gantt/export/", exports.gantt_export, name="gantt_export"),
    path("<int:pk>/gantt/print/", exports.gantt_print, name="gantt_print"),
    path("<int:pk>/tasks/", tasks.task_list, name="tasks"),
    path("<int:pk>/tasks/add/", tasks.task_add, name="task_add"),
    path("<int:pk>/tasks/<int:task_id>/edit/", tasks.task_edit, name="task_edit"),
    path("<int:pk>/tasks/<int:task_id>/delete/", tasks.task_remove, name="task_delete"),
    path("<int:pk>/kanban/", boards.kanban, name="kanban"),
    path("<int:pk>/kanban/<int:task_id>/move/", boards.kanban_move, name="kanban_move"),
    path("<int:pk>/calendar/", boards.calendar, name="calendar"),
    path("<int:pk>/baselines/", baselines.baselines, name="baselines"),
    path("<int:pk>/baselines/save/", baselines.baseline_add, name="baseline_save"),
    path("<int:pk>/baselines/<int:baseline_id>/delete/", baselines.baseline_remove, name="baseline_delete"),
]
