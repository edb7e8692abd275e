"""Policies: loading, validation and the compiled effective policy."""

from redactor.policy.load import ConfigFinder, builtin_packs, discover, load_policy, schema
from redactor.policy.model import Policy

__all__ = ["ConfigFinder", "Policy", "builtin_packs", "discover", "load_policy", "schema"]
