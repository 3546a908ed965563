"""The reverse dictionary: a lexicon of signs with their HamNoSys, searched by handshape or text (no Django).

``Lexicon.load(path)`` reads a dictionary file (lexicon.py); ``search.search_by_handshape``,
``search_by_landmarks``, ``search_by_image`` and ``search_by_text`` rank its signs; importers.py reads
HamNoSys lexicons and annotated documents; hamnosys_parser.py splits HamNoSys into its parts. See
docs/dictionary.md.
"""
