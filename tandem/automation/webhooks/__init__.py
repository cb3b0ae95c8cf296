"""Outbound webhooks: endpoints, one signed delivery per event and endpoint with retries, their pages and API; and
the transport every outbound call shares: Standard Webhooks signing, an SSRF-safe HTTP POST and the retry schedule."""
