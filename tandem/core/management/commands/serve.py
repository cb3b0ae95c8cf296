"""Run the web server (gunicorn) and the Huey worker together; Ctrl-C stops both.

Links in notices, emails and IM messages start with TANDEM_BASE_URL; unless it is set, both processes get the
address this command serves on, so a server on another port never sends links to port 8000.
"""

import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand


def served_environ(environ: dict, *, host: str, port: int) -> dict:
    """The environment for the web and worker processes: TANDEM_BASE_URL from the bind address unless set."""
    env = dict(environ)
    if not env.get("TANDEM_BASE_URL"):
        shown = "127.0.0.1" if host in ("", "0.0.0.0", "::") else host
        if ":" in shown:
            shown = f"[{shown}]"
        env["TANDEM_BASE_URL"] = f"http://{shown}:{port}"
    return env


class Command(BaseCommand):
    help = "Start the web server and the background worker together."

    def add_arguments(self, parser):
        parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", 8000)))
        parser.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
        parser.add_argument("--workers", type=int, default=int(os.environ.get("WEB_CONCURRENCY", 2)))

    def handle(self, *args, **options):
        call_command("collectstatic", interactive=False, verbosity=0)
        bind = f"{options['host']}:{options['port']}"
        env = served_environ(os.environ, host=options["host"], port=options["port"])
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
        self.stdout.write(f"Links in notices start with {env['TANDEM_BASE_URL']}")
        if os.environ.get("TANDEM_ENV", "development") != "production":
            self.stdout.write(
                "Demo sign-ins (password tandem-demo): owner, admin, salesmgr, sales, sales2, pm, finance, "
                "foreman, service, auditor; in the English tenant Northwind: owner, sales, emily, david, grace"
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
