"""JSON Schemas of the K-SLARS formats (package data)."""
