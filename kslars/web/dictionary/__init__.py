"""The reverse dictionary in SLAN: a search page and its JSON API, read-only and thin over kslars.dictionary."""
