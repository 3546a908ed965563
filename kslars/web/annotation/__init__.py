"""Annotation: the database form of kslars.document (tier types, vocabularies, tiers, annotations)."""
