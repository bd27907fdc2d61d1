"""`python -m hubdash`."""

from hubdash.cli import main

if __name__ == "__main__":
    main(prog_name="python -m hubdash")
