"""The work done on a project's video in the background (automatic annotation, glosses, fingerspelling) and the
landmarks it keeps, served to the editor."""
