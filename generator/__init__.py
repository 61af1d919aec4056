"""Labor Digest: copied news pages in, a themed static digest with feeds out."""

__version__ = "0.1.0"
