"""Signals core sends and the platform apps listen to, so core imports none of them."""

from django.dispatch import Signal

# A signed-in member was refused a permission code (page or API): kwargs tenant_id, user, permission, path, method.
# The audit app records it as a security event in its AppConfig.ready().
access_denied = Signal()


def send_access_denied(request, permission: str) -> None:
    access_denied.send(
        sender=None,
        tenant_id=request.access.tenant_id,
        user=request.user,
        permission=permission,
        path=request.path[:300],
        method=request.method,
    )
