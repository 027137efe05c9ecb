"""``python -m qbplan``."""

from qbplan.cli import main

if __name__ == "__main__":
    main()
