"""names: the layers that find person names (and, for the model and the deny-list, every
entity type) around the model, in the order they run. Each layer is a module with a
`NameLayer` (redactor/detect/names/base.py); its `merge` says how its findings join those
found before it. The helpers the layers share: `words` (what a name word is), `votes` (how the
model labelled each word), `model_text` (what the model reads), `stopwords`.
"""

from __future__ import annotations

from redactor.detect.names.addressees import Addressees
from redactor.detect.names.aliases import Aliases
from redactor.detect.names.base import Layer, Merge, NameLayer, NameScan, NameSettings
from redactor.detect.names.clearances import Clearances
from redactor.detect.names.deny_list import DenyList
from redactor.detect.names.halves import Halves
from redactor.detect.names.hyphenation import Hyphenation
from redactor.detect.names.initials import Initials
from redactor.detect.names.lists import Lists
from redactor.detect.names.mail_headers import MailHeaders
from redactor.detect.names.misspellings import Misspellings
from redactor.detect.names.model import ModelLayer
from redactor.detect.names.pairs import HyphenPairs
from redactor.detect.names.propagation import ListPropagation, Propagation
from redactor.detect.names.signatures import Signatures
from redactor.detect.names.tables import Tables
from redactor.detect.names.tags_line import TagsLine
from redactor.detect.names.titles import Titles
from redactor.detect.names.user_ids import UserIds
from redactor.model import FoundBy

# The registry, in the order the layers run. Layers that need PERSON (persons_only) run only
# when the policy enables it.
NAME_LAYERS: tuple[Layer, ...] = (
    Layer(ModelLayer()),  # the model's results that hold up
    Layer(DenyList()),  # the policy's deny-list, where the model did not find it
    Layer(Signatures()),  # a telegram's signature
    Layer(Addressees(), Merge.NEW),  # NSC FOR TSHANNON AND CBARTON
    Layer(TagsLine(), Merge.NEW),  # TAGS: OVIP (CLINTON, HILLARY)
    Layer(MailHeaders(), Merge.WHOLE),  # From: Ravensworth, Delia K — the entry whole
    Layer(Clearances(), Merge.WHOLE),  # Drafted: CPJackson/LFMendez — each entry whole
    Layer(Titles(), Merge.NEW),  # Deputy Foreign Minister Zhigalov
    Layer(Tables(), Merge.WHOLE),  # | Name | Post | … | Priya Ramanathan | Consul |
    Layer(Initials(), Merge.NEW),  # S. Chanderpaul
    Layer(Aliases(), Merge.NEW),  # Andres Manuel Lopez Obrador (AMLO): every AMLO
    Layer(Propagation()),  # a name found once is found everywhere
    Layer(HyphenPairs(), Merge.NEW),  # the Camus-Forgeard rivalry: Forgeard too
    Layer(Lists()),  # an item shaped like the names beside it in a list of people
    Layer(ListPropagation()),  # … and those found everywhere too
    Layer(Misspellings()),  # Thigalov for Zhigalov
    Layer(Hyphenation(), Merge.NEW),  # Nord-/qvist
    Layer(UserIds(), Merge.NEW),  # chaltzer, corwin.haltzer, @corwinhaltzer
    Layer(Halves(), Merge.WHOLE),  # cheryl.mills, not [REDACTED].mills; Campbell, Kurt M
)

# How each FoundBy is put into words (the layer that finds it).
DESCRIBERS: dict[FoundBy, type[NameLayer]] = {
    type(entry.layer).found_by: type(entry.layer) for entry in NAME_LAYERS}

__all__ = ["DESCRIBERS", "NAME_LAYERS", "Layer", "Merge", "NameLayer", "NameScan",
           "NameSettings"]
