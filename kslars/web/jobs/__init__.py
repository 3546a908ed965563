"""Background jobs (Celery): video transcoding now, automatic annotation next; progress kept in the database."""
