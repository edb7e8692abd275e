"""Scoring for the person-name benchmark (benchmarks/names.py): gold mentions against predicted
person spans, by the rule of corpus/gold/names/README.md.

Spans are (start, end) character offsets, end exclusive.

* A gold mention is found only if every letter in it is covered by predicted spans (half a
  name leaks); spaces and punctuation inside it need not be covered.
* A predicted span that overlaps a mention is a true positive; one that overlaps no mention is a
  false positive, unless it overlaps a neutral string (cable gold: `not_persons`, `uncertain`).
* Overlapping or repeated predicted spans are first merged into one.
* precision = true-positive spans / (true-positive spans + false positives).
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

Spans = list[tuple[int, int]]

# The gold set's parts, split once (issue 13) and never changed: rules and thresholds are
# written on the tuning part only; the validation part is the result.
GOLD_PARTS = ("tuning-cables", "tuning-emails", "validation-cables", "validation-emails")


def gold_part(gold_id: str, text_path: str | None) -> str:
    """The part of the gold set a document belongs to. The first 25 cables (no "text" key, or
    the seed's `seed/` path) are tuning: the name layers were written on them. Of the rest, a
    document whose id's sha1 is odd is validation: 20 of the 40 later cables and 14 of the 25
    e-mails."""
    text_path = text_path or ""  # the first 25 cables have no "text" key
    medium = "emails" if text_path.startswith("other/") else "cables"
    later = text_path.startswith(("cables/", "other/"))
    odd = int(hashlib.sha1(gold_id.encode("utf-8")).hexdigest(), 16) % 2 == 1
    return f"{'validation' if later and odd else 'tuning'}-{medium}"


@dataclass
class Tally:
    """Counts for one system on one data set, summed over documents."""

    docs: int = 0
    chars: int = 0
    gold: int = 0
    found: int = 0
    predicted: int = 0
    true_spans: int = 0
    false_spans: int = 0
    neutral: int = 0
    seconds: float = 0.0
    missed: list[tuple[str, int, int]] = field(default_factory=list)  # (doc, start, end)
    false: list[tuple[str, int, int]] = field(default_factory=list)

    @property
    def recall(self) -> float:
        return self.found / self.gold if self.gold else 0.0

    @property
    def precision(self) -> float:
        judged = self.true_spans + self.false_spans
        return self.true_spans / judged if judged else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def merge(spans: Iterable[tuple[int, int]]) -> Spans:
    """Sorted spans with overlapping ones joined (spans that only touch end to start stay apart)."""
    merged: Spans = []
    for start, end in sorted(set(spans)):
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def covered(text: str, mention: tuple[int, int], predicted: Spans) -> bool:
    """Every letter of the mention lies inside some predicted span."""
    inside = [p for p in predicted if overlaps(p, mention)]
    return all(any(s <= i < e for s, e in inside)
               for i in range(*mention) if text[i].isalpha())


def form_mentions(text: str, forms: Iterable[str]) -> Spans:
    """Every verbatim, word-bounded, case-sensitive occurrence of any form; occurrences that
    overlap are one mention, the longest of them."""
    found = sorted({(m.start(), m.end()) for form in set(forms) if form
                    for m in re.finditer(rf"(?<!\w){re.escape(form)}(?!\w)", text)})
    mentions: Spans = []
    cluster_end = -1
    for start, end in found:
        if mentions and start < cluster_end:
            if end - start > mentions[-1][1] - mentions[-1][0]:
                mentions[-1] = (start, end)
            cluster_end = max(cluster_end, end)
        else:
            mentions.append((start, end))
            cluster_end = end
    return mentions


def string_spans(text: str, strings: Iterable[str]) -> Spans:
    """Every verbatim (case-sensitive) occurrence of any string, word-bounded or not."""
    return sorted({(m.start(), m.end()) for s in set(strings) if s
                   for m in re.finditer(re.escape(s), text)})


def score(tally: Tally, doc: str, text: str, gold: Spans, predicted: Iterable[tuple[int, int]],
          neutral: Sequence[tuple[int, int]] = ()) -> None:
    """Add one document's counts to the tally."""
    spans = merge(predicted)
    tally.docs += 1
    tally.chars += len(text)
    tally.gold += len(gold)
    tally.predicted += len(spans)
    for mention in gold:
        if covered(text, mention, spans):
            tally.found += 1
        else:
            tally.missed.append((doc, *mention))
    for span in spans:
        if any(overlaps(span, m) for m in gold):
            tally.true_spans += 1
        elif any(overlaps(span, n) for n in neutral):
            tally.neutral += 1
        else:
            tally.false_spans += 1
            tally.false.append((doc, *span))
