"""The dafu command line."""


def main() -> None:
    print("dafu")
