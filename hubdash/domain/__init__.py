"""Pure rules of the domain (fiscal periods, the status engine, roles, KPI hints, vision text): standard library only."""
