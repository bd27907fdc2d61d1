"""Service results to bytes: the formula-safe table writer, then progress, vision, PDCA, executive reports, backups."""
