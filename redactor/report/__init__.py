"""report: the reports of a check run, one module per format behind one signature
(`redactor/report/base.py`), and the registry the CLI's `--format` choices come from.

The reports of one run — the main one (`--format`, to stdout or `-o`) and any number of extra
files (`--json-output`, `--sarif-output`, `--junit-output`, `--summary`) — are rendered from the
same results and written together, atomically (redactor/atomic.py): either every file appears
or none does.

`--summary FILE` is appended to, as GitHub's `$GITHUB_STEP_SUMMARY` expects (several steps and
tools add to the same file): the old content and the new summary are written together to a
temporary file that then replaces FILE, so a failed run leaves FILE as it was. Every other output
is replaced.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from redactor.atomic import write_all
from redactor.errors import UsageError
from redactor.report import github, json, jsonl, junit, markdown, sarif, text
from redactor.report.base import Reporter, RunReport

# The registry: every report format, in the order --help lists them.
REPORTERS: dict[str, Reporter] = {r.name: r for r in (
    text.REPORTER, json.REPORTER, jsonl.REPORTER, sarif.REPORTER, junit.REPORTER,
    github.REPORTER, markdown.REPORTER)}
FORMATS = tuple(REPORTERS)
# option → format of the extra report files
EXTRA = {"--json-output": "json", "--sarif-output": "sarif", "--junit-output": "junit",
         "--summary": "markdown"}
APPENDED = frozenset({"--summary"})


def formats_help() -> str:
    """--format's help: each format that needs words, with them."""
    described = ", ".join(f"{r.name} ({r.help})" for r in REPORTERS.values() if r.help)
    return f"Report format: {described}."


@dataclass(frozen=True)
class Output:
    option: str  # "--output" for the main report, else the option in EXTRA
    path: Path
    fmt: str

    @property
    def append(self) -> bool:
        return self.option in APPENDED


def render(fmt: str, run: RunReport) -> str:
    if fmt not in REPORTERS:
        raise ValueError(f"unknown report format {fmt!r}")
    return REPORTERS[fmt].render(run)


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


def write(outputs: list[Output], main: str, run: RunReport) -> None:
    """Render the extra reports and write every file at once (OSError when that fails). The
    extra files are never coloured nor explained: those are for the terminal."""
    plain = replace(run, color=False, explain=False)
    files: dict[Path, bytes] = {}
    for item in outputs:
        rendered = main if item.option == "--output" else render(item.fmt, plain)
        data = rendered.encode("utf-8")
        if item.append and item.path.is_file():
            data = item.path.read_bytes() + data
        files[item.path] = data
    write_all(files)


__all__ = ["EXTRA", "FORMATS", "REPORTERS", "Output", "Reporter", "RunReport", "destinations",
           "formats_help", "render", "write"]
