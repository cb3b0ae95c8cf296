"""The approvals pages: my approvals and the moves on a task, submitting and withdrawing, flow settings."""

from django.urls import path

from tandem.approvals.views import flows, inbox, panel, quick, tasks

app_name = "approvals"

urlpatterns = [
    path("", inbox.inbox, name="inbox"),
    path("tasks/<int:pk>/approve/", inbox.task_approve, name="task_approve"),
    path("tasks/<int:pk>/reject/", inbox.task_reject, name="task_reject"),
    path("tasks/<int:pk>/transfer/", tasks.task_transfer, name="task_transfer"),
    path("tasks/<int:pk>/send-back/", tasks.task_send_back, name="task_send_back"),
    path("tasks/<int:pk>/add-approver/", tasks.task_add_approver, name="task_add_approver"),
    path("tasks/bulk-approve/", inbox.bulk_approve, name="bulk_approve"),
    path("<int:pk>/open/", inbox.approval_open, name="open"),
    path("im/<str:token>/", quick.im_link, name="im_link"),
    path("<int:pk>/withdraw/", panel.approval_withdraw, name="withdraw"),
    path("<int:pk>/void/", panel.approval_void, name="void"),
    path("submit/<str:object_type>/<int:object_id>/", panel.approval_submit, name="submit"),
    path("flows/", flows.flow_list, name="flows"),
    path("flows/new/", flows.flow_create, name="flow_create"),
    path("flows/<int:pk>/", flows.flow_edit, name="flow_edit"),
    path("flows/<int:pk>/versions/<int:number>/", flows.flow_version, name="flow_version"),
    path("flows/<int:pk>/toggle/", flows.flow_toggle, name="flow_toggle"),
    path("flows/<int:pk>/delete/", flows.flow_delete, name="flow_delete"),
]
