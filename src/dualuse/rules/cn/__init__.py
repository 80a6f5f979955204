"""China: the dual-use export-control lists, the US-specific measures, party lists, CAC."""
