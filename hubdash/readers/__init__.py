"""Files in, plain records out (pure, no database): the progress file and the bundled sample regions."""
