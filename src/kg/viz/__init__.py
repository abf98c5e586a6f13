"""Interactive, self-contained pages of the network views (kg.network)."""
