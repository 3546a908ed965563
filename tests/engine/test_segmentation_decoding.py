"""Sign starts and short phrases: densely signed signs keep P(B) high from one start to the next, so each peak of
P(B) can start a sign; a blip of inside frames in a pause is no phrase."""

from __future__ import annotations

import numpy as np

from kslars.engine.segmentation.bio import decode_bio, decode_signs
from kslars.engine.segmentation.config import SegmentationConfig


def _probabilities(p_b: list[float]) -> np.ndarray:
    """(T, 3) O, B, I probabilities: every frame inside, P(B) as given, the rest I."""
    b = np.array(p_b)
    return np.stack([np.zeros_like(b), b, 1 - b], axis=1)


# one run of likely-B frames (>= 0.5) over two signs: peaks at frames 1 and 5, a dip at 3
PLATEAU = [0.6, 0.8, 0.6, 0.5, 0.6, 0.9, 0.7, 0.1, 0.1, 0.1]


def _spans(segments: list) -> list[tuple[int, int]]:
    return [(s.start, s.end) for s in segments]


def test_one_run_of_likely_starts_holds_a_start_at_each_peak_far_enough_from_the_others():
    p = _probabilities(PLATEAU)
    assert _spans(decode_bio(p)) == [(0, 10)]  # one start per run
    # frame 0 starts (after nothing); the peak at 1 is too close to it, the peak at 5 starts the second sign
    assert _spans(decode_bio(p, peak_gap=2)) == [(0, 5), (5, 10)]
    assert _spans(decode_bio(p, peak_gap=6)) == [(0, 10)]
    assert _spans(decode_bio(p, b_threshold=0.95, peak_gap=2)) == [(0, 10)]  # no peak is likely enough


def test_sign_decoding_takes_the_gap_from_the_models_config():
    p = _probabilities(PLATEAU)
    config = SegmentationConfig(sign_b_threshold=0.5, sign_inside_threshold=0.5)
    assert config.sign_peak_gap_frames == 2
    assert _spans(decode_signs(p, config)) == [(0, 5), (5, 10)]
    config.sign_peak_gap_frames = None
    assert _spans(decode_signs(p, config)) == [(0, 10)]


def test_phrases_shorter_than_the_drop_length_are_dropped():
    from kslars.engine.segmentation.bio import decode_phrases

    outside, inside = [1.0, 0.0, 0.0], [0.0, 0.0, 1.0]
    # 10 fps: a 2 s phrase, a pause, a 0.2 s blip of inside frames, a pause, a 1 s phrase
    p = np.array([inside] * 20 + [outside] * 5 + [inside] * 2 + [outside] * 5 + [inside] * 10)
    config = SegmentationConfig(fps=10, phrase_drop_ms=500)
    assert _spans(decode_phrases(p, config)) == [(0, 20), (32, 42)]
    config.phrase_drop_ms = None
    assert _spans(decode_phrases(p, config)) == [(0, 20), (25, 27), (32, 42)]
