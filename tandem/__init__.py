"""Tandem (同舟): customer management and project delivery in one product."""

__version__ = "0.1.0"
