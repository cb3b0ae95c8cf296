"""Fuzzy company-name lookup for imports: 100k file rows against 100k existing names, not 10¹⁰ pairs.

Names are compared in their normalised core (see `tandem.crm.services.dedup`) and scored as
`name_similarity` scores them: rapidfuzz's ratio, and at least 90 when one core (of four
characters or more) contains the other.

Candidates for the ratio come from an index of the existing cores by character bigram: a name
looks up only its few *rarest* bigrams. Two names scoring ≥ 80 share most of their bigrams, rare
ones included, while a rare bigram's list is short; the common bigrams (上海, 科技, 工程 …) that
would make every company of a city or trade a candidate are never looked up. The candidates are
then scored in one rapidfuzz call. Containment needs no candidates: an existing core inside the
name is one of the name's substrings (a dictionary lookup each), and the name inside an existing
core is found with one substring search over the candidates.

Recall is not guaranteed: a look-alike is missed when edits destroy all of a name's rarest
bigrams (two typos next to each other in a short brand, say). Exact cores and credit codes are
matched separately and never missed.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from rapidfuzz import fuzz, process

from tandem.crm.services.dedup import NAME_THRESHOLD, distinct_brands

KEY_BIGRAMS = 3
MAX_CANDIDATES = 2000
MIN_CONTAINED = 4  # as in name_similarity
CONTAINED_SCORE = 90.0


def bigrams(core: str) -> set[str]:
    if len(core) < 2:
        return {core} if core else set()
    return {core[i : i + 2] for i in range(len(core) - 1)}


class NameIndex:
    """Existing records' normalised names, looked up exactly or fuzzily."""

    def __init__(self, entries: Iterable[tuple[int, str]]):
        self.exact: dict[str, int] = {}
        postings: dict[str, list[str]] = defaultdict(list)
        for record_id, core in entries:
            if not core:
                continue
            if core in self.exact:
                self.exact[core] = min(self.exact[core], record_id)
                continue
            self.exact[core] = record_id
            for gram in bigrams(core):
                postings[gram].append(core)
        self.postings = dict(postings)

    def __len__(self) -> int:
        return len(self.exact)

    def candidates(self, core: str) -> list[str]:
        """Existing cores sharing one of the core's rarest bigrams (at most MAX_CANDIDATES), in no order."""
        postings = self.postings
        lists = sorted((postings[g] for g in bigrams(core) if g in postings), key=len)
        found: set[str] = set()
        for cores in lists[:KEY_BIGRAMS]:
            if found and len(found) + len(cores) > MAX_CANDIDATES:
                break
            found.update(cores[:MAX_CANDIDATES])
        return list(found)

    def best(self, core: str, threshold: float = NAME_THRESHOLD) -> tuple[int, float] | None:
        """(id, score) of the most similar record scoring at least `threshold`, or None."""
        if not core:
            return None
        same = self.exact.get(core)
        if same is not None:
            return same, 100.0
        best_core, best_score = None, 0.0
        candidates = self.candidates(core)
        if candidates:
            scored = process.extract(core, candidates, scorer=fuzz.ratio, score_cutoff=threshold, limit=None)
            scored = [hit for hit in scored if not distinct_brands(core, hit[0])]
            if scored:
                # Equal scores go to the oldest record, whatever order the candidates came in.
                best_score = float(scored[0][1])
                best_core = min((c for c, score, _i in scored if score == scored[0][1]), key=self.exact.__getitem__)
        if best_score < CONTAINED_SCORE and len(core) >= MIN_CONTAINED:
            inside = self._contained(core, candidates)
            if inside is not None:
                best_core, best_score = inside, CONTAINED_SCORE
        if best_core is None or best_score < threshold:
            return None
        return self.exact[best_core], best_score

    def _contained(self, core: str, candidates: list[str]) -> str | None:
        """An existing core inside this one, or containing it (four characters or more)."""
        exact = self.exact
        for length in range(len(core) - 1, MIN_CONTAINED - 1, -1):
            for start in range(len(core) - length + 1):
                if core[start : start + length] in exact:
                    return core[start : start + length]
        joined = "\n" + "\n".join(candidates) + "\n"
        at = joined.find(core)
        if at < 0:
            return None
        return joined[joined.rfind("\n", 0, at) + 1 : joined.find("\n", at)]
