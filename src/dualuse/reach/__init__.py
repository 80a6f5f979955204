"""Where US rules reach an item made abroad: production facts and their vendor defaults."""

from dualuse.reach.production import ProductionFacts, production_facts

__all__ = ["ProductionFacts", "production_facts"]
