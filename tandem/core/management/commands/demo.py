"""`tandem demo`: create the demo tenants and their sample data (safe to run again).

`tandem demo --scale N` instead fills one tenant (default `scale`) with a large synthetic CRM data set for
benchmarks: N accounts, 3N contacts, 2N deals and 10N activities (see tandem/crm/scale.py, which registers itself
in `tandem.core.demo`).
"""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from tandem.core import demo


class Command(BaseCommand):
    help = "Load demo data, or with --scale N a large synthetic CRM data set (refused when TANDEM_ENV=production)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            type=int,
            metavar="N",
            help="instead of the demo data, write N accounts, 3N contacts, 2N deals and 10N activities",
        )
        parser.add_argument("--tenant", default="scale", help="tenant slug for --scale (created if absent)")
        parser.add_argument("--reset", action="store_true", help="with --scale: replace the tenant's CRM records")
        parser.add_argument("--seed", type=int, default=None, help="with --scale: random seed")

    def handle(self, *args, **options):
        if settings.PRODUCTION:
            raise CommandError("Demo data and its shared password are refused when TANDEM_ENV=production.")
        if options["scale"] is not None:
            self._scale(options)
            return
        # One transaction: the events the demo's history emits are dispatched only after the last loader marked
        # them handled, so a worker running in the same process (or immediately) replays none of them.
        with transaction.atomic():
            for name, loader in demo.loaders():
                with transaction.atomic():
                    loader()
                self.stdout.write(f"demo: {name} ok")

    def _scale(self, options) -> None:
        if options["scale"] < 1:
            raise CommandError("--scale needs a positive number of accounts.")
        for _name, loader in demo.scale_loaders():
            try:
                summary = loader(
                    n=options["scale"],
                    tenant=options["tenant"],
                    reset=options["reset"],
                    seed=options["seed"],
                    progress=lambda message: self.stdout.write(f"scale: {message}"),
                )
            except demo.ScaleRefused as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(f"scale: {summary}")
