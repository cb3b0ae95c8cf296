"""Page routes of the public pools, sales targets and the sales workbench (included by `tandem.crm.urls`)."""

from django.urls import path

from tandem.crm import views_pools, views_workbench

urlpatterns = [
    path("workbench/", views_workbench.workbench, name="workbench"),
    path("response-times/", views_workbench.response_times, name="response_times"),
    path("targets/", views_workbench.target_list, name="targets"),
    path("targets/<int:pk>/delete/", views_workbench.target_delete, name="target_delete"),
    path("pools/", views_pools.pool_list, name="pools"),
    path("pools/new/", views_pools.pool_create, name="pool_create"),
    path("pools/<int:pk>/", views_pools.pool_detail, name="pool_detail"),
    path("pools/<int:pk>/edit/", views_pools.pool_edit, name="pool_edit"),
    path("pools/<int:pk>/delete/", views_pools.pool_delete, name="pool_delete"),
    path("pools/<int:pk>/claim/", views_pools.pool_claim, name="pool_claim"),
    path("pools/<int:pk>/assign/", views_pools.pool_assign, name="pool_assign"),
    path("accounts/<int:pk>/release/", views_pools.account_release, name="account_release"),
    path("accounts/<int:pk>/lock/", views_pools.account_lock, name="account_lock"),
]
