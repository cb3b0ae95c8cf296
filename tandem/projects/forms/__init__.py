"""Forms of the project pages, one module per sub-domain: they parse input and offer only what the caller
may pick; the services decide."""
