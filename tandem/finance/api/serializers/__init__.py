"""Serializers of the finance API: input and output shapes apart, one module a sub-domain."""
