"""One module per subject: Session and Actor in, dataclasses out; permission checks and audit events live here."""
