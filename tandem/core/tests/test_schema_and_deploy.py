"""The OpenAPI schema validates without warnings; production settings pass `check --deploy`."""

import os
import secrets
import subprocess
import sys

import yaml
from django.core.management import call_command
from openapi_spec_validator import validate


def test_openapi_schema_generates_without_warnings_and_validates(tmp_path, db):
    target = tmp_path / "schema.yml"
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    schema = yaml.safe_load(target.read_text())
    validate(schema)
    assert "/api/v1/me/" in schema["paths"]
    assert "/api/v1/tokens/{id}/revoke/" in schema["paths"]
    assert schema["components"]["securitySchemes"]["bearerAuth"]["scheme"] == "bearer"


def test_production_settings_pass_check_deploy(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tandem.settings",
        "TANDEM_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "ALLOWED_HOSTS": "tandem.example.com",
        "TANDEM_DATA_DIR": str(tmp_path),
    }
    env.pop("DATABASE_URL", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the browser tests' fixture, never in deployment
    result = subprocess.run(
        [sys.executable, "-m", "tandem", "check", "--deploy", "--fail-level", "WARNING"],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_refuses_demo_data(tmp_path):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tandem.settings",
        "TANDEM_ENV": "production",
        "SECRET_KEY": secrets.token_urlsafe(60),
        "TANDEM_DATA_DIR": str(tmp_path),
    }
    env.pop("DATABASE_URL", None)
    result = subprocess.run([sys.executable, "-m", "tandem", "demo"], env=env, capture_output=True, text=True)
    assert result.returncode != 0
    assert "refused" in result.stderr
