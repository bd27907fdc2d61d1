"""Fill a database: the bundled sample regions and synthetic demo regions at any scale."""
