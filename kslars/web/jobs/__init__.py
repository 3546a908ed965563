"""Background jobs of any kind the other apps register (registry.py), run by Celery; progress kept in the database."""
