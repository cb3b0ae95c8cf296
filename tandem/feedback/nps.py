"""NPS maths, pure: no ORM, no Django. Counts in, figures out.

NPS = % promoters − % detractors, a whole number from −100 to 100, rounded half away from zero;
None when nobody answered (pages show “—”, never 0). Response rate = answers / surveys delivered.
Insights group answers by calendar quarter ("2026Q3"); the helpers below name and bound quarters.
"""

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

QUARTER = re.compile(r"^(\d{4})Q([1-4])$")


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
    # How many of the `delivered` surveys were answered, when that differs from the answers counted (insights
    # count answers by when they came, and the rate by when the surveys went out); None = `responses`.
    answered: int | None = None

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
        return _percent(self.responses if self.answered is None else self.answered, self.delivered)

    @property
    def shares(self) -> dict[str, int | None]:
        """Each group's percentage of the answers, for templates."""
        return {group: self.share(group) for group in ("promoter", "passive", "detractor")}

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


def figures_by(rows: Iterable[tuple[str, str]]) -> dict[str, NpsFigures]:
    """NPS figures per group from (group, category) pairs, category being promoter / passive / detractor."""
    counts: dict[str, dict[str, int]] = defaultdict(lambda: {"promoter": 0, "passive": 0, "detractor": 0})
    for group, category in rows:
        counts[group][category] += 1
    return {
        group: NpsFigures(promoters=c["promoter"], passives=c["passive"], detractors=c["detractor"])
        for group, c in counts.items()
    }


def quarter_of(day: date) -> str:
    """The calendar quarter a day falls in, as "2026Q3"."""
    return f"{day.year}Q{(day.month - 1) // 3 + 1}"


def quarter_bounds(key: str) -> tuple[date, date]:
    """The first and the last day of a quarter named "2026Q3"; ValueError for anything else."""
    match = QUARTER.match(key or "")
    if match is None:
        raise ValueError(key)
    year, quarter = int(match.group(1)), int(match.group(2))
    first = date(year, 3 * quarter - 2, 1)
    last = date(year + 1, 1, 1) if quarter == 4 else date(year, 3 * quarter + 1, 1)
    return first, date.fromordinal(last.toordinal() - 1)


def quarters_between(first: date, last: date) -> list[str]:
    """Every quarter from the one holding `first` to the one holding `last`, oldest first."""
    out, year, quarter = [], first.year, (first.month - 1) // 3 + 1
    end = quarter_of(last)
    while True:
        key = f"{year}Q{quarter}"
        out.append(key)
        if key == end or year > last.year:
            return out
        year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)
