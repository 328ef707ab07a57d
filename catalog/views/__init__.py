"""Catalog pages, one module per area: connections and tables, diagrams, documentation."""
