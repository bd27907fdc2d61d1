"""hubdash: shared vision, outcome indicators and PDCA cycles for regional innovation hubs."""

__version__ = "0.1.0"
