"""Phrases: a long stretch of signing with pauses between its sentences comes out as one phrase per sentence."""

from __future__ import annotations

import numpy as np
import pytest

from kslars.engine.segmentation.bio import decode_phrases
from kslars.engine.segmentation.config import SegmentationConfig
from kslars.engine.segmentation.dgs_data import DATASET, load_recordings
from kslars.engine.segmentation.metrics import best_iou
from tests.conftest import shared_file

INSIDE, PAUSE, BOUNDARY = [0.02, 0.03, 0.95], [0.3, 0.1, 0.6], [0.6, 0.1, 0.3]


def _spans(segments) -> list[tuple[int, int]]:  # noqa: ANN001
    return [(s.start, s.end) for s in segments]


def test_phrases_are_cut_where_the_boundary_score_peaks():
    # 10 fps: 30 frames inside, a short pause (O + B = 0.4: under one half, so decode_bio would go on), 30 inside
    p = np.array([INSIDE] * 30 + [PAUSE] + [INSIDE] * 30)
    config = SegmentationConfig(fps=10, phrase_boundary_threshold=0.3, phrase_min_ms=700, phrase_max_ms=None)
    assert _spans(decode_phrases(p, config)) == [(0, 30), (31, 61)]
    # not cut when a piece would be shorter than phrase_min_ms, nor when the rule is off
    assert _spans(decode_phrases(p, SegmentationConfig(fps=10, phrase_min_ms=3500, phrase_max_ms=None))) == [(0, 61)]
    off = SegmentationConfig(fps=10, phrase_boundary_threshold=None, phrase_max_ms=None)
    assert _spans(decode_phrases(p, off)) == [(0, 61)]
    # a frame with O above one half ends the phrase as before
    p = np.array([INSIDE] * 30 + [BOUNDARY] + [INSIDE] * 30)
    assert _spans(decode_phrases(p, off)) == [(0, 30), (31, 61)]


def test_a_phrase_longer_than_the_maximum_is_cut_at_its_likeliest_boundaries():
    weak = [0.1, 0.05, 0.85]  # O + B = 0.15: under the boundary threshold
    p = np.array(([INSIDE] * 29 + [weak]) * 4)  # 120 frames, 12 s at 10 fps, a weak dip every 3 s
    config = SegmentationConfig(fps=10, phrase_max_ms=5000, phrase_min_ms=700)
    assert _spans(decode_phrases(p, config)) == [(0, 29), (30, 59), (60, 89), (90, 120)]
    assert _spans(decode_phrases(p, SegmentationConfig(fps=10, phrase_max_ms=None))) == [(0, 120)]


@pytest.mark.slow
def test_a_long_continuous_dgs_run_gives_about_one_phrase_per_sentence():
    """33 consecutive sentences of transcript 1418836 (2 min 16 s, joined with their real gaps) must not come out
    as one phrase or a few long ones: about one phrase per sentence, none much longer than a long sentence."""
    from kslars.engine.segmentation import load_segmentation_model
    from kslars.engine.segmentation.training import make_example, predict_segments

    run = load_recordings(shared_file(DATASET))["1418836"][0]
    assert len(run.phrases) == 33
    model = load_segmentation_model()
    example = make_example(run, model.config.fps)
    _, phrases, _, _ = predict_segments(model, example.features)
    assert 0.6 * 33 <= len(phrases) <= 1.5 * 33
    assert max(s.end - s.start for s in phrases) <= 8 * model.config.fps  # 8 s; the longest sentence is 7.6 s
    spans = _spans(phrases)
    gold_side = np.mean([best_iou(g, spans) for g in example.phrases])
    assert gold_side > 0.4  # one phrase over the whole run would score 0.03
