"""Message templates written by tenant admins, rendered in the kit's sandbox (`tandem.core.sandbox`), and sent
by email.

The sandbox's allow-list of tags and filters and its sealed JSON-only data are documented there; this module
sets the message limits and turns rendered messages into email.
"""

from __future__ import annotations

import html as html_lib

from django.core.exceptions import ValidationError
from django.core.mail import DNS_NAME, EmailMultiAlternatives, make_msgid
from django.core.validators import validate_email
from django.utils.html import strip_tags

from tandem.core.sandbox import MAX_OUTPUT_CHARS, MAX_TEMPLATE_CHARS, render_template, validate_template
from tandem.core.sandbox import SandboxError as MessageTemplateError

__all__ = ["MAX_TEMPLATE_CHARS", "MessageTemplateError", "render_message", "send_email", "validate_template"]

MAX_SUBJECT_CHARS = 200


def render_message(template_text: str, payload: dict, *, language: str, autoescape: bool = False) -> str:
    """Render a user-written message against a JSON-only copy of `payload` in `language`.

    `autoescape` is off for plain text, Markdown and IM messages and on for HTML email bodies.
    Raises MessageTemplateError for a refused template, a runaway loop or an oversized result.
    """
    return render_template(
        template_text,
        payload,
        language=language,
        autoescape=autoescape,
        max_output=MAX_OUTPUT_CHARS,
        what="rendered message",
    )


# --- email -------------------------------------------------------------------------------------


def _single_line(text: str) -> str:
    # Collapsing every whitespace run (CR and LF included) is what makes header injection
    # through a payload value impossible, not just rejected at send time.
    line = " ".join(text.split())
    return line if len(line) <= MAX_SUBJECT_CHARS else line[: MAX_SUBJECT_CHARS - 1] + "…"


def _clean_recipients(to: list[str]) -> list[str]:
    if isinstance(to, str) or not to:
        raise ValueError("`to` must be a non-empty list of addresses")
    for address in to:
        if any(ch in address for ch in "\r\n"):
            raise ValueError(f"invalid recipient address: {address!r}")
        try:
            validate_email(address)
        except ValidationError:
            raise ValueError(f"invalid recipient address: {address!r}") from None
    return list(to)


def send_email(
    *,
    to: list[str],
    subject_template: str,
    body_template: str,
    payload: dict,
    language: str,
    html: bool = False,
    from_email: str | None = None,
    connection=None,
) -> str:
    """Render and send one notification email through Django's email backend; returns its Message-ID.

    With `html=True` the body is rendered with autoescaping and sent with a plain-text alternative.
    """
    recipients = _clean_recipients(to)
    subject = _single_line(render_message(subject_template, payload, language=language))
    if html:
        html_body = render_message(body_template, payload, language=language, autoescape=True)
        text_body = html_lib.unescape(strip_tags(html_body))
    else:
        html_body = None
        text_body = render_message(body_template, payload, language=language)
    message_id = make_msgid(domain=str(DNS_NAME))
    message = EmailMultiAlternatives(
        subject=subject,
        body=text_body,
        from_email=from_email,
        to=recipients,
        headers={"Message-ID": message_id},
        connection=connection,
    )
    if html_body is not None:
        message.attach_alternative(html_body, "text/html")
    message.send()
    return message_id
