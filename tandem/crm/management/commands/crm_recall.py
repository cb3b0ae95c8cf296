"""`tandem crm_recall`: run the public-pool recall sweep now (for cron when no task worker runs)."""

from django.core.management.base import BaseCommand

from tandem.crm.services.pool_recall import recall_sweep


class Command(BaseCommand):
    help = "Recall accounts whose pool rules ran out and remind owners whose accounts go back soon."

    def add_arguments(self, parser):
        parser.add_argument("--tenant", type=int, action="append", help="Only this tenant id (repeatable).")

    def handle(self, *args, **options):
        result = recall_sweep(tenant_ids=options["tenant"])
        self.stdout.write(f"recalled {result.recalled}, reminded {result.reminded}")
