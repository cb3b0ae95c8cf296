"""Run the web server (gunicorn) and the Huey worker together; Ctrl-C stops both."""

import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Start the web server and the background worker together."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", 8000)))
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", 2)))

    def handle(self, *args, **options):
        call_command("collectstatic", interactive=False, verbosity=0)
        bind = f"{options['host']}:{options['port']}"
        env = os.environ.copy()
        web = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "tandem.wsgi:application",
                "--bind",
                bind,
                "--workers",
                str(options["workers"]),
                "--access-logfile",
                "-",
                "--graceful-timeout",
                "5",
            ],
            env=env,
        )
        worker = subprocess.Popen([sys.executable, "-m", "tandem", "run_huey", "--quiet"], env=env)
        self.stdout.write(self.style.SUCCESS(f"\nTandem is running: http://{bind}/"))
        self.stdout.write(f"Data directory: {settings.DATA_DIR}")
        if os.environ.get("TANDEM_ENV", "development") != "production":
            self.stdout.write(
                "Demo sign-ins (password tandem-demo): owner, admin, salesmgr, sales, sales2, pm, finance, "
                "foreman, service, auditor (owner and sales also belong to the English tenant Northwind)"
            )
        self.stdout.write("Press Ctrl-C to stop.\n")
        stopping = False

        def stop(*_):
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGINT, stop)
        signal.signal(signal.SIGTERM, stop)
        try:
            while not stopping and web.poll() is None and worker.poll() is None:
                time.sleep(0.5)
        finally:
            for proc in (web, worker):
                if proc.poll() is None:
                    proc.terminate()
            for proc in (web, worker):
                try:
                    proc.wait(timeout=10)
                except subprocess.TimeoutExpired:
                    proc.kill()
        self.stdout.write("Stopped.")
