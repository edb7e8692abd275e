"""Policies: loading, validation and the compiled effective policy."""

from redactor.policy.load import builtin_packs, discover, load_policy, schema
from redactor.policy.model import Policy

__all__ = ["Policy", "builtin_packs", "discover", "load_policy", "schema"]
