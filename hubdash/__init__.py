"""hubdash: shared vision, outcome indicators and PDCA cycles for regional innovation hubs."""

# Imported first so that errors raised anywhere read as sentences (the catalogue renders them).
from hubdash import i18n as _i18n  # noqa: F401

__version__ = "0.1.0"
