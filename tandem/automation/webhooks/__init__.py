"""Outbound webhooks: Standard Webhooks signing, an SSRF-safe HTTP POST and the retry schedule."""
