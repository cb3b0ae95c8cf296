"""Masking of sensitive values for audit rows and display."""


def mask(value, kind: str = "default") -> str:
    """Keep just enough to recognise a value: 138****5678, 1101**********1234, ******."""
    if value in (None, ""):
        return ""
    text = str(value)
    if kind == "secret":
        return "******"
    if kind == "phone" and len(text) >= 7:
        return text[:3] + "*" * (len(text) - 7) + text[-4:]
    if kind in {"id_number", "bank_card"} and len(text) > 8:
        return text[:4] + "*" * (len(text) - 8) + text[-4:]
    if len(text) <= 2:
        return "*" * len(text)
    return text[0] + "*" * (len(text) - 2) + text[-1]
