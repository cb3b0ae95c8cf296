"""`tandem health [--tenant SLUG]` recomputes the account health scores of one tenant, or of every tenant."""

from django.core.management.base import BaseCommand, CommandError

from tandem.accounts.models import Tenant
from tandem.feedback.services.health import health_recompute_all, health_recompute_tenant


class Command(BaseCommand):
    help = "Recompute the account health scores (one tenant with --tenant, else every active tenant)."

    def add_arguments(self, parser):
        parser.add_argument("--tenant", help="tenant slug")

    def handle(self, *args, **options):
        slug = options.get("tenant")
        if slug:
            tenant = Tenant.objects.filter(slug=slug).first()
            if tenant is None:
                raise CommandError(f"No tenant {slug!r}.")
            count = health_recompute_tenant(tenant_id=tenant.pk)
        else:
            count = health_recompute_all()
        self.stdout.write(f"{count} accounts recomputed.")
