"""API authentication: bearer tokens (tenant from the token) and sessions (tenant from the session)."""

from django.utils.translation import gettext_lazy as _
from rest_framework import authentication, exceptions

from tandem.accounts.middleware import attach_membership, load_membership
from tandem.accounts.services.tokens import token_authenticate
from tandem.core import context


class BearerTokenAuthentication(authentication.BaseAuthentication):
    keyword = "Bearer"

    def authenticate(self, request):
        header = authentication.get_authorization_header(request).decode("latin-1", "replace").split()
        if not header or header[0].lower() != self.keyword.lower():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Malformed Authorization header."))
        token = token_authenticate(header[1], ip=context.current().ip)
        if token is None:
            raise exceptions.AuthenticationFailed(_("Invalid, expired or revoked token."))
        membership = load_membership(token.user, token.tenant_id)
        if membership is None:
            raise exceptions.AuthenticationFailed(_("The token's user is no longer a member."))
        attach_membership(request._request, membership, token_scopes=token.scopes)
        return token.user, token

    def authenticate_header(self, request):
        return f'{self.keyword} realm="api"'


class TenantSessionAuthentication(authentication.SessionAuthentication):
    """Session sign-in (with CSRF); the tenant comes from the session via TenantMiddleware."""

    def authenticate(self, request):
        result = super().authenticate(request)
        if result is None:
            return None
        if getattr(request._request, "membership", None) is None:
            return None
        return result
