"""Continuous sign language recognition (CSLR): pose sequences -> gloss sequences, and its scoring.

No Django here. ``data`` holds one signed sentence as a :class:`~kslars.recognition.data.Sample`; ``datasets``
reads corpora into samples; ``features`` turns a sample's pose into model input; ``splits`` makes the benchmark
splits; ``model``, ``decoding``, ``alignment`` and ``training`` are the networks, CTC decoding, forced alignment
and the training loop; ``scoring`` is the RWTH-PHOENIX-Weather / NIST sclite word error rate and BLEU/chrF.
"""
