"""What the automation pages share beyond the page kit."""

from __future__ import annotations

from tandem.core.views import form_page


def form_page_or_400(request, **kwargs):
    """The kit's create/edit body (`form_page`); a POST it does not accept (invalid, or refused by the service)
    answers 400 with the form and its errors, as the channel and webhook pages always have."""
    response = form_page(request, **kwargs)
    if request.method == "POST" and response.status_code == 200:
        response.status_code = 400
    return response
