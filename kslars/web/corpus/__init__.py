"""Corpus tooling in SLAN over the projects a user can see: statistics (tables, the core's plot, a JSON route) and
an export of chosen projects as a zip (EAF files, anonymised on request, and a training set), with
kslars.corpus doing the work."""
