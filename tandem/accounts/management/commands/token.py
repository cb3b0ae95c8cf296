"""`tandem token create --tenant SLUG --user USERNAME [--scopes …]` prints a new API token once."""

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from tandem.accounts.models import Membership
from tandem.accounts.services.tokens import token_create
from tandem.core.errors import ApplicationError


class Command(BaseCommand):
    help = "Manage API tokens."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        create = sub.add_parser("create", help="Create a token and print it once.")
        create.add_argument("--tenant", required=True, help="tenant slug")
        create.add_argument("--user", required=True, help="user name")
        create.add_argument("--name", default="cli")
        create.add_argument("--scopes", nargs="*", default=None, help="permission codes or patterns, e.g. crm.view_*")
        create.add_argument("--days", type=int, default=None, help="expire after N days")

    def handle(self, *args, **options):
        membership = (
            Membership.objects.select_related("user", "tenant")
            .filter(tenant__slug=options["tenant"], user__username=options["user"], is_active=True)
            .first()
        )
        if membership is None:
            raise CommandError(f"No active member {options['user']!r} in tenant {options['tenant']!r}.")
        expires_at = timezone.now() + timedelta(days=options["days"]) if options["days"] else None
        try:
            _token, secret = token_create(
                membership=membership, name=options["name"], scopes=options["scopes"], expires_at=expires_at
            )
        except ApplicationError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(secret)
