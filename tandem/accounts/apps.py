from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "tandem.accounts"
    label = "accounts"
    verbose_name = _("Users and roles")

    def ready(self) -> None:
        from tandem.accounts import demo  # noqa: F401  (registers the demo loader)
        from tandem.accounts.api import schema  # noqa: F401  (OpenAPI auth extensions)
        from tandem.core import context_processors, permissions

        permissions.register_type(
            "accounts",
            "user",
            _("User"),
            fields={"phone": _("Mobile phone"), "email": _("Email")},
            actions=("view", "add", "change", "import", "export"),
        )
        permissions.register_type("accounts", "tenant", _("Organisation settings"), actions=("view", "change"))
        permissions.register_type("accounts", "role", _("Role"), actions=("view", "add", "change", "delete"))
        permissions.register_type(
            "accounts", "department", _("Department"), actions=("view", "add", "change", "delete")
        )
        permissions.register_type("accounts", "apitoken", _("API token"), actions=("view", "add", "delete"))
        context_processors.register(_tenant_switcher)
        from tandem.core.navigation import NavItem, register_section

        register_section(
            "settings",
            _("Settings"),
            90,
            [
                NavItem(_("Organisation"), "accounts:tenant_settings", "building", "accounts.view_tenant", 10),
                NavItem(_("Users"), "accounts:members", "people", "accounts.view_user", 20),
                NavItem(_("Roles and permissions"), "accounts:roles", "shield-lock", "accounts.view_role", 30),
                NavItem(_("Departments"), "accounts:departments", "diagram-3", "accounts.view_department", 40),
                NavItem(_("API tokens"), "accounts:tokens", "key", None, 60),
            ],
        )


def _tenant_switcher(access) -> dict:
    """The tenants the member may switch to, for the shell's switcher."""
    from tandem.accounts.selectors import tenants_of

    return {"my_tenants": tenants_of(user_id=access.user_id)}
