"""Service results to bytes: the one formula-safe table writer, then progress, vision, PDCA and executive reports."""
