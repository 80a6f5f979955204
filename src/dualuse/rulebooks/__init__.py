"""Dated rulebook versions, as-of resolution, modes and scenario overlays."""

from dualuse.rulebooks.registry import Registry, load_registry
from dualuse.rulebooks.resolver import ActiveProvision, ResolvedRules, resolve

__all__ = ["ActiveProvision", "Registry", "ResolvedRules", "load_registry", "resolve"]
