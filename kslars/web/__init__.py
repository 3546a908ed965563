"""SLAN, the K-SLARS web annotation tool: thin Django layers over kslars.document, formats and engine."""
