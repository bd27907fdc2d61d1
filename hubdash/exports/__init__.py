"""Documents built from service results (pure: data in, bytes or text out)."""
