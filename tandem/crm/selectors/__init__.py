"""Reads of the crm app, one module per entity or sub-domain: querysets already restricted to the caller's
tenant and data scope, with what their list pages and endpoints show loaded in a constant number of queries.

Each `<entity>_related(qs)` adds the joins and prefetches to a queryset that is already restricted
(the API base class restricts; pages start from `<entity>_list`).
"""
