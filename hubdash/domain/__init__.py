"""Pure rules of the domain (periods, status engine, roles, KPI hints, vision text): standard library only."""
