"""NPS maths, pure: no ORM, no Django. Counts in, figures out.

NPS = % promoters − % detractors, a whole number from −100 to 100, rounded half away from zero;
None when nobody answered (pages show “—”, never 0). Response rate = answers / surveys delivered.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal


def _percent(part: int, whole: int) -> int:
    """`part` of `whole` as a whole percentage, halves rounded away from zero (−12.5 → −13)."""
    value = Decimal(100 * part) / Decimal(whole)
    return int(value.quantize(Decimal(1), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class NpsFigures:
    promoters: int = 0
    passives: int = 0
    detractors: int = 0
    delivered: int = 0

    @property
    def responses(self) -> int:
        return self.promoters + self.passives + self.detractors

    @property
    def nps(self) -> int | None:
        """% promoters − % detractors, computed on the unrounded shares; None without answers."""
        if not self.responses:
            return None
        return _percent(self.promoters - self.detractors, self.responses)

    @property
    def response_rate(self) -> int | None:
        """Answers as a whole percentage of surveys delivered; None when none were delivered."""
        if not self.delivered:
            return None
        return _percent(self.responses, self.delivered)

    def share(self, group: str) -> int | None:
        """The percentage of answers in `group` (promoter / passive / detractor), for the bar."""
        if not self.responses:
            return None
        return _percent(
            {"promoter": self.promoters, "passive": self.passives, "detractor": self.detractors}[group], self.responses
        )


def nps_of(scores) -> NpsFigures:
    """The figures of a list of 0–10 scores (9–10 promoters, 7–8 passives, 0–6 detractors)."""
    scores = list(scores)
    return NpsFigures(
        promoters=sum(1 for s in scores if s >= 9),
        passives=sum(1 for s in scores if 7 <= s <= 8),
        detractors=sum(1 for s in scores if s <= 6),
    )
