"""`python -m dafu`: the same as the `dafu` command."""
from dafu.cli import main

if __name__ == "__main__":
    main()
