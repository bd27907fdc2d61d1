"""Files in, plain records out (pure, no database): the progress file, the bundled sample regions, backups."""
