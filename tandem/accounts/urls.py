from django.urls import path

from tandem.accounts import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.sign_in, name="login"),
    path("logout/", views.sign_out, name="logout"),
    path("password/", views.password_change, name="password_change"),
    path("switch/", views.tenant_switch, name="tenant_switch"),
    path("organisation/", views.tenant_settings, name="tenant_settings"),
    path("users/", views.member_list, name="members"),
    path("users/new/", views.member_create, name="member_create"),
    path("users/export/", views.member_export, name="member_export"),
    path("users/<int:pk>/", views.member_edit, name="member_edit"),
    path("roles/", views.role_list, name="roles"),
    path("roles/new/", views.role_edit, name="role_create"),
    path("roles/<int:pk>/", views.role_edit, name="role_edit"),
    path("roles/<int:pk>/delete/", views.role_delete, name="role_delete"),
    path("departments/", views.department_list, name="departments"),
    path("departments/<int:pk>/", views.department_edit, name="department_edit"),
    path("tokens/", views.token_list, name="tokens"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
]
