"""detect: ParsedDocument → findings (markings, portion marks, cues, asides, entities, earlier
redactions, marking validation), by the detectors of PIPELINE, in order.

Each detector (redactor/detect/base.py) sees the parsed document, the policy, the earlier
redactions and the text of the findings so far that are never names, and the findings of the
detectors before it. The pipeline drops what a detector finds inside an earlier redaction
(unless the detector says otherwise), hides the text of the findings of the detectors that
hide names from those after them, and sorts the whole.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from redactor.detect.asides import Asides
from redactor.detect.base import Detector, Explaining, ModelPool, Scan, version_of
from redactor.detect.entities import Entities
from redactor.detect.markings import Markings
from redactor.detect.placeholders import ExistingRedactions, find_placeholders
from redactor.detect.protection_cues import ProtectionCues
from redactor.detect.validation import Validation
from redactor.model import EXISTING_REDACTION, Finding, ParsedDocument
from redactor.policy.model import Policy

# The registry, in the order the detectors run: each sees what those before it found.
PIPELINE: tuple[type[Detector], ...] = (
    Markings,  # the policy's markings: banner, caption, header, portion marks, phrases
    ProtectionCues,  # the policy's protection cues (`strictly protect`)
    Asides,  # [NOTE: … END NOTE], [COMMENT: … END COMMENT]
    Entities,  # names and other personal data: the model and the name layers
    ExistingRedactions,  # XXXXXXXXXXXX, [REDACTED], this policy's own labels
    Validation,  # the markings checked against each other
)
DETECTORS: dict[str, type[Detector]] = {d.name: d for d in PIPELINE}


class Pipeline:
    """The detectors of one engine (one policy), built once and run on every document."""

    def __init__(self, policy: Policy, models: ModelPool,
                 detectors: Sequence[type[Detector]] = PIPELINE) -> None:
        self.policy = policy
        self.detectors = [detector(policy, models) for detector in detectors]

    def detector(self, name: str) -> Detector:
        """The pipeline's detector of that name (KeyError if it has none)."""
        found = next((d for d in self.detectors if d.name == name), None)
        if found is None:
            raise KeyError(name)
        return found

    def detect(self, parsed: ParsedDocument) -> tuple[Finding, ...]:
        scan = Scan(parsed, self.policy, tuple(find_placeholders(parsed.document.text,
                                                                 self.policy)))
        found: list[Finding] = []
        for detector in self.detectors:
            raw = list(detector.find(scan, found))
            if detector.hides_names:
                scan = Scan(scan.parsed, scan.policy, scan.placeholders,
                            (*scan.hidden, *(f.span for f in raw)))
            if detector.outside_placeholders:
                raw = [f for f in raw if not any(p.contains(f.span) for p in scan.placeholders)]
            found.extend(raw)
        return tuple(sorted(found, key=lambda f: (f.span.start, f.span.end, f.kind, f.label)))

    def scan(self, parsed: ParsedDocument) -> Scan:
        """What a detector that needs a model sees: the hiding detectors run."""
        scan = Scan(parsed, self.policy, tuple(find_placeholders(parsed.document.text,
                                                                 self.policy)))
        found: list[Finding] = []
        for detector in self.detectors:
            if detector.hides_names:
                raw = list(detector.find(scan, found))
                scan = Scan(scan.parsed, scan.policy, scan.placeholders,
                            (*scan.hidden, *(f.span for f in raw)))
                found.extend(raw)
        return scan

    def model_inputs(self, scan: Scan) -> list[Any]:
        """Each detector's model input for the document (None for those without a model)."""
        return [detector.model_input(scan) for detector in self.detectors]

    def prime(self, inputs: list[list[Any]]) -> None:
        """Run each detector's model over several documents at once (`[]`: let go)."""
        for i, detector in enumerate(self.detectors):
            detector.prime([each[i] for each in inputs if each[i] is not None])


def libraries(policy: Policy, detectors: Sequence[type[Detector]] = PIPELINE) -> dict[str, str]:
    """The installed versions of what the detectors use under this policy (models and
    libraries): part of the result cache's key."""
    names = sorted({lib for detector in detectors for lib in detector.libraries(policy)})
    return {name: version_of(name) for name in names}


def describe(finding: Finding, context: Explaining) -> str:
    """The finding's explanation, in the words of the detector that found it (a detector
    outside the registry has none: its name stands for them)."""
    detector = DETECTORS.get(finding.detector)
    return detector.describe(finding, context) if detector else f"found by {finding.detector}"


__all__ = ["DETECTORS", "EXISTING_REDACTION", "PIPELINE", "Detector", "Explaining", "ModelPool",
           "Pipeline",
           "Scan", "describe", "find_placeholders", "libraries", "version_of"]
