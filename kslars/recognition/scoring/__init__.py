"""Scoring of recognition and translation outputs, no Django.

``transcripts`` reads and writes NIST ``.stm``/``.ctm`` files; ``phoenix_rules`` is the official
RWTH-PHOENIX-Weather 2014 clean-up of glosses; ``sclite_alignment`` is NIST sclite's weighted word alignment;
``wer`` puts them together as the PHOENIX evaluation does; ``translation`` gives BLEU-1..4 and chrF through
sacrebleu; ``cli`` is ``kslars cslr score``. docs/recognition/scoring.md describes the rules and the comparison
with sclite.
"""
