"""``python -m normgraph``: the same command as ``normgraph``."""

from .cli import main

if __name__ == "__main__":
    main()
