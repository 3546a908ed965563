"""Corpus-wide search in SLAN: the search page, its API route and the video stills of the results."""
