"""Background jobs (Celery): video transcoding and automatic annotation; progress kept in the database."""
