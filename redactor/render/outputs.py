"""The reports of one `check` run: the main one (`--format`, to stdout or `-o`) and any number
of extra files (`--json-output`, `--sarif-output`, `--junit-output`, `--summary`), all rendered
from the same results and written together, atomically (redactor/atomic.py): either every file
appears or none does.

`--summary FILE` is appended to, as GitHub's `$GITHUB_STEP_SUMMARY` expects (several steps and
tools add to the same file): the old content and the new summary are written together to a
temporary file that then replaces FILE, so a failed run leaves FILE as it was. Every other output
is replaced.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from redactor.atomic import write_all
from redactor.errors import UsageError
from redactor.model import Action, Result
from redactor.policy.model import Policy
from redactor.render.github import github_report
from redactor.render.jsonl import jsonl_report
from redactor.render.junit import junit_report
from redactor.render.markdown import markdown_report
from redactor.render.report import json_report, text_report
from redactor.render.sarif import sarif_report

FORMATS = ("text", "json", "jsonl", "sarif", "junit", "github", "markdown")
# option → format of the extra report files
EXTRA = {"--json-output": "json", "--sarif-output": "sarif", "--junit-output": "junit",
         "--summary": "markdown"}
APPENDED = frozenset({"--summary"})


@dataclass(frozen=True)
class Output:
    option: str  # "--output" for the main report, else the option in EXTRA
    path: Path
    fmt: str

    @property
    def append(self) -> bool:
        return self.option in APPENDED


def render(fmt: str, results: list[Result], policy_of: dict[str, Policy], fail_on: Action,
           show_text: bool = False, color: bool = False, explain: bool = False) -> str:
    if fmt == "json":
        return json_report(results, policy_of, fail_on, show_text)
    if fmt == "jsonl":
        return jsonl_report(results, policy_of, fail_on, show_text)
    if fmt == "sarif":
        return sarif_report(results, policy_of, fail_on, show_text)
    if fmt == "junit":
        return junit_report(results, policy_of, fail_on, show_text)
    if fmt == "github":
        return github_report(results, policy_of, fail_on, show_text)
    if fmt == "markdown":
        return markdown_report(results, policy_of, fail_on)
    if fmt == "text":
        return text_report(results, policy_of, fail_on, show_text, color, explain)
    raise ValueError(f"unknown report format {fmt!r}")


def destinations(fmt: str, output: str | None, extra: dict[str, str | None]) -> list[Output]:
    """The files to write, in a stable order; refuses two outputs on the same file."""
    chosen = [Output("--output", Path(output), fmt)] if output else []
    chosen += [Output(option, Path(path), EXTRA[option])
               for option, path in extra.items() if path]
    seen: dict[Path, str] = {}
    for item in chosen:
        key = item.path.resolve()
        if key in seen:
            raise UsageError(str(item.path), f"{item.option} is the same file as {seen[key]}",
                             "Give each report its own path.")
        seen[key] = item.option
    return chosen


def write(outputs: list[Output], main: str, results: list[Result],
          policy_of: dict[str, Policy], fail_on: Action, show_text: bool) -> None:
    """Render the extra reports and write every file at once (OSError when that fails)."""
    files: dict[Path, bytes] = {}
    for item in outputs:
        text = main if item.option == "--output" else render(item.fmt, results, policy_of,
                                                             fail_on, show_text)
        data = text.encode("utf-8")
        if item.append and item.path.is_file():
            data = item.path.read_bytes() + data
        files[item.path] = data
    write_all(files)
