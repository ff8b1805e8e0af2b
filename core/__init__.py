"""dafu: Chinese government reply letters to structured records."""
__version__ = "0.1.0"
