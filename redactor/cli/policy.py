"""`redactor policy list|show|validate|schema`."""

from __future__ import annotations

import json
from pathlib import Path

import click
import yaml

from redactor.cli import cli
from redactor.policy import builtin_packs, discover, load_policy, schema
from redactor.policy.show import show_policy


@cli.group()
def policy() -> None:
    """List, show, validate policies, and print their JSON schema."""


@policy.command("list")
def policy_list() -> None:
    """List the built-in policy packs."""
    for name, path in builtin_packs().items():
        data = yaml.safe_load(path.read_text("utf-8")) or {}
        description = " ".join(str(data.get("description", "")).split())
        click.echo(f"{name:<20} {description}")


@policy.command("show")
@click.argument("ref", required=False, metavar="[NAME|FILE]")
def policy_show(ref: str | None) -> None:
    """Print the effective policy and where each part came from.

    Without NAME|FILE: the policy that applies in the current folder.
    """
    if ref is None:
        found = discover(Path.cwd())
        ref = str(found) if found else None
    click.echo(show_policy(load_policy(ref)), nl=False)


@policy.command("validate")
@click.argument("files", nargs=-1, required=True, metavar="FILE...")
def policy_validate(files: tuple[str, ...]) -> None:
    """Validate policy files (schema, extends, references). Exit 2 on the first error."""
    for name in files:
        loaded = load_policy(name)
        names = sum(len(a.names) for r in loaded.rules for a in r.allow_files)
        allowed = f", {names} names in allow files" if names else ""
        click.echo(f"{name}: ok — policy {loaded.name!r}: {len(loaded.levels)} levels, "
                   f"{len(loaded.markings)} markings, {len(loaded.cues)} cues, "
                   f"{len(loaded.entities)} entity types, {len(loaded.rules)} rules{allowed}")


@policy.command("schema")
def policy_schema() -> None:
    """Print the JSON schema that policy files are validated against."""
    click.echo(json.dumps(schema(), indent=2))
