"""Projects: a video and its annotation document, owned by a user and shared with others."""
