"""Documents written for the tests (no corpus text) and small helpers shared by test modules."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from redactor import formats
from redactor.model import Document, TextSource
from redactor.options import CheckOptions

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus"

# Names the offline spaCy model recognises in ordinary sentences (checked when written).
NAMES = ("Marta Kellingworth", "Tomas Lindqvist", "Priya Raman", "Jonas Whitfield",
         "Elena Markovic", "Samuel Okafor", "Ingrid Halvorsen", "Rafael Quintero",
         "Dmitri Volkonsky", "Oliver Brandt", "Fatima Haddad", "Lucia Ferrante")

# An SBU telegram of our own: routing header, UNCLAS line, SENSITIVE/SIPDIS captions, fields,
# (U)/(SBU)/(SBU-N) paragraphs with and without ¶, a page line, a NOTE, a COMMENT, signature.
SBU_CABLE = """\
VZCZCXRO4821
RR RUEHDE RUEHSL
DE RUEHLK #0777/01 1231200
ZNR UUUUU ZZH
R 031200Z MAY 09
FM AMEMBASSY LAKEHAVEN
TO RUEHC/SECSTATE WASHDC 5555
INFO RUCNCIS/NORTHERN COLLECTIVE

UNCLAS SECTION 01 OF 02 LAKEHAVEN 000777

SENSITIVE
SIPDIS

E.O. 12958: N/A
TAGS: PGOV PREL ECON
SUBJECT: LAKEHAVEN: PORT REFORM BILL STALLS IN PARLIAMENT

REF: A. STATE 11111
     B. LAKEHAVEN 222

1. (U) Sensitive but unclassified. Not for public Internet.

2. (SBU) Summary: Deputy Minister Marta Kellingworth told PolOff on
May 2 that the port reform bill would not pass before the summer
recess. End Summary.

\u00b63. (U) The bill was introduced in March. Press coverage has been
light and mostly favorable.

LAKEHAVEN 00000777  002 OF 002

4. (SBU-N) Kellingworth said the governing coalition was split. [NOTE:
The coalition holds 61 of 120 seats. END NOTE.]

5. (U) The Embassy will continue to follow the bill. [COMMENT: The
delay suits the harbor operators. END COMMENT.]

HARDCASTLE
"""

# A SECRET telegram of our own, letter-spaced banner in the second form.
SECRET_CABLE = """\
VZCZCXRO9911
PP RUEHC
DE RUEHLK #0912/01 2001500
ZNY SSSSS ZZH
P 191500Z JUL 09
FM AMEMBASSY LAKEHAVEN
TO RUEHC/SECSTATE WASHDC PRIORITY 6001

S E C R E T LAKEHAVEN 000912

NOFORN
SIPDIS

E.O. 12958: DECL: 07/19/2019
TAGS: PREL MARR
SUBJECT: (S) NAVAL COOPERATION TALKS

Classified By: Ambassador Jonas Whitfield for reasons 1.4 (b) and (d)

1. (S//NF) Admiral Samuel Okafor briefed the DCM on the exercise plan.

2. (C) The talks will resume in the autumn.

WHITFIELD
"""

# A CONFIDENTIAL telegram whose classification line is letter-spaced.
CONFIDENTIAL_CABLE = """\
VZCZCXRO5150
RR RUEHC
DE RUEHLK #0515/01 0501000
ZNY CCCCC ZZH
FM AMEMBASSY LAKEHAVEN
TO RUEHC/SECSTATE WASHDC 6100

C O N F I D E N T I A L LAKEHAVEN 000515

E.O. 12958: DECL: 02/19/2019
TAGS: PGOV
SUBJECT: ELECTION COMMISSION STAFFING

1. (C) The commission remains understaffed.
"""

# A plain memo with names and contact details, no markings.
MEMO = """\
Facilities planning notes

The committee met on 4 March. Priya Raman chaired the meeting, and Tomas Lindqvist took notes.
Lindqvist will circulate the revised floor plan by the end of the month.

Questions about the plan go to Priya Raman at priya.raman@example.org or on 555-201-7788.
"""

# Nothing to find: releasable as it stands.
PUBLIC = """\
Library opening hours

From the first Monday of next month the reading room opens at 8 a.m. on weekdays and
at 10 a.m. on Saturdays. The reading room stays closed on public holidays.
"""

# A generic document under a banner of the corporate kind our policy knows (FOUO = SBU).
BANNERED = """\
FOR OFFICIAL USE ONLY

BUDGET REVIEW

(U) The review starts in the first quarter.

(FOUO) The draft figures are not final and must not be shared.

FOR OFFICIAL USE ONLY
"""


def make_doc(text: str, path: str = "doc.txt", encoding: str = "utf-8") -> Document:
    """The Document the file's format would read from `text` written in `encoding`."""
    data = text.encode(encoding)
    return Document(path=path, text=text, sha256=hashlib.sha256(data).hexdigest(),
                    size=len(data), format=formats.format_for(path).name,
                    source=TextSource(encoding))


def read_document(path: Path, display: str | None = None, **options: Any) -> Document:
    """A file read by its format, as a run reads it (options: CheckOptions' fields)."""
    return formats.load(path, display or str(path), CheckOptions(**options))


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode(encoding))
    return path


def snapshot(folder: Path) -> dict[str, bytes]:
    """Every file under a folder and its bytes: to prove nothing was written or changed."""
    return {str(p.relative_to(folder)): p.read_bytes()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def report_of(stdout: str) -> dict[str, Any]:
    report: dict[str, Any] = json.loads(stdout)
    return report


def line_of(text: str, needle: str) -> int:
    """1-based line number of the first occurrence of needle."""
    return text[: text.index(needle)].count("\n") + 1
