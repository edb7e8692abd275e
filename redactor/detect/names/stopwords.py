"""spaCy's English stop words, loaded when first needed.

Importing spaCy takes about a second; a run answered wholly from the result cache never
needs it, so no module imports it when it is imported itself.
"""

from __future__ import annotations

from functools import cache


@cache
def stop_words() -> frozenset[str]:
    from spacy.lang.en.stop_words import STOP_WORDS

    return frozenset(STOP_WORDS)
