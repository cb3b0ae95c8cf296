"""Test settings: the production settings plus test-only models."""

from tandem.settings import *  # noqa: F403
from tandem.settings import INSTALLED_APPS, PASSWORD_HASHERS

INSTALLED_APPS = [*INSTALLED_APPS, "tandem.testing"]
# Argon2 is deliberately slow; tests that exercise it use it explicitly.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher", *PASSWORD_HASHERS]

HUEY = {**HUEY, "immediate": env_bool("HUEY_IMMEDIATE", True)}  # noqa: F405
