"""`tandem demo`: create the demo tenants and their sample data (safe to run again)."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from tandem.core import demo


class Command(BaseCommand):
    help = "Load demo data (refused when TANDEM_ENV=production)."

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("Demo data and its shared password are refused when TANDEM_ENV=production.")
        for name, loader in demo.loaders():
            with transaction.atomic():
                loader()
            self.stdout.write(f"demo: {name} ok")
