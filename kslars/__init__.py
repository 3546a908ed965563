"""K-SLARS: sign language annotation, recognition and search, built first for Kazakh-Russian Sign Language."""

__version__ = "0.1.0"
