from django.urls import path

from tandem.accounts.views import auth, departments, members, roles, tenants, tokens

app_name = "accounts"

urlpatterns = [
    path("login/", auth.sign_in, name="login"),
    path("logout/", auth.sign_out, name="logout"),
    path("password/", auth.password_change, name="password_change"),
    path("switch/", auth.tenant_switch, name="tenant_switch"),
    path("organisation/", tenants.tenant_settings, name="tenant_settings"),
    path("users/", members.member_list, name="members"),
    path("users/new/", members.member_create, name="member_create"),
    path("users/export/", members.member_export, name="member_export"),
    path("users/<int:pk>/", members.member_edit, name="member_edit"),
    path("roles/", roles.role_list, name="roles"),
    path("roles/new/", roles.role_edit, name="role_create"),
    path("roles/<int:pk>/", roles.role_edit, name="role_edit"),
    path("roles/<int:pk>/delete/", roles.role_delete, name="role_delete"),
    path("departments/", departments.department_list, name="departments"),
    path("departments/<int:pk>/", departments.department_edit, name="department_edit"),
    path("tokens/", tokens.token_list, name="tokens"),
    path("tokens/<int:pk>/revoke/", tokens.token_revoke, name="token_revoke"),
]
