"""Segmentation quality: frame F1, segment IoU and segment counts.

- frame F1: F1 of the "inside a segment" frames (B or I) against the gold frames;
- segment IoU: for each gold segment, the best intersection-over-union (in frames) with any predicted
  segment, averaged over gold segments (0 for a gold segment nothing overlaps);
- symmetric segment IoU: the same average also from the predicted side (each predicted segment's best IoU with a
  gold one), and the harmonic mean of the two; one segment over everything scores near 0 here, while the
  gold-side average alone still gives it credit for the gold segment it covers best;
- F1 at IoU 0.5: predicted and gold segments paired one to one where their IoU is at least 0.5, and the F1 of
  those pairs (the measure of the published segmentation model's paper, Moryossef et al. 2023);
- counts: number of predicted and of gold segments (their ratio shows over- or under-segmentation).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from kslars.engine.segmentation.bio import O


@dataclass
class Scores:
    """Quality of predicted segments against gold ones over one or more sequences."""

    frame_f1: float
    segment_iou: float
    symmetric_iou: float
    f1_at_half: float  # F1 of segments matched one to one at IoU >= 0.5
    predicted_segments: int
    gold_segments: int

    def as_dict(self) -> dict[str, float | int]:
        """Plain values for reports."""
        return {
            "frame_f1": round(self.frame_f1, 4),
            "segment_iou": round(self.segment_iou, 4),
            "symmetric_iou": round(self.symmetric_iou, 4),
            "f1_at_half": round(self.f1_at_half, 4),
            "predicted_segments": self.predicted_segments,
            "gold_segments": self.gold_segments,
        }


def frame_f1(predicted_tags: np.ndarray, gold_tags: np.ndarray) -> float:
    """F1 of inside (B/I) frames; 1.0 when both are all outside."""
    pred, gold = np.asarray(predicted_tags) != O, np.asarray(gold_tags) != O
    tp = float(np.sum(pred & gold))
    if not pred.any() and not gold.any():
        return 1.0
    return 2 * tp / float(pred.sum() + gold.sum())


def best_iou(gold: tuple[int, int], predicted: list[tuple[int, int]]) -> float:
    """Best IoU of a gold (start, end) frame span with any predicted span."""
    best = 0.0
    for s, e in predicted:
        inter = min(e, gold[1]) - max(s, gold[0])
        if inter > 0:
            best = max(best, inter / (max(e, gold[1]) - min(s, gold[0])))
    return best


def f1_at_half(pairs: list[tuple[list[tuple[int, int]], list[tuple[int, int]]]]) -> float:
    """F1 of segments matched at IoU >= 0.5, pooled over (predicted spans, gold spans) pairs of sequences.

    Within each sequence, predicted and gold (start, end) frame spans are paired one to one, the pairs of highest
    IoU first, as long as the IoU is 0.5 or more; F1 = 2 * pairs / (predicted + gold). A predicted segment that
    covers two gold ones, or half of one, pairs with none. 1.0 when there are no segments at all.
    """
    matched = predicted = gold = 0
    for found, truth in pairs:
        predicted, gold = predicted + len(found), gold + len(truth)
        if not found or not truth:
            continue
        p, g = np.asarray(found, dtype=float), np.asarray(truth, dtype=float)
        inter = np.minimum(p[:, None, 1], g[None, :, 1]) - np.maximum(p[:, None, 0], g[None, :, 0])
        hull = np.maximum(p[:, None, 1], g[None, :, 1]) - np.minimum(p[:, None, 0], g[None, :, 0])
        iou = np.where(inter > 0, inter / np.maximum(hull, 1e-9), 0.0)
        used_p, used_g = set(), set()
        candidates = sorted(((iou[i, j], i, j) for i, j in zip(*np.nonzero(iou >= 0.5), strict=True)), reverse=True)
        for _, i, j in candidates:
            if i not in used_p and j not in used_g:
                used_p.add(i)
                used_g.add(j)
                matched += 1
    return 2 * matched / (predicted + gold) if predicted + gold else 1.0


def score(sequences: list[tuple[np.ndarray, np.ndarray, list[tuple[int, int]], list[tuple[int, int]]]]) -> Scores:
    """Pooled scores over sequences of (predicted tags, gold tags, predicted spans, gold spans) in frames."""
    pred_all = np.concatenate([s[0] for s in sequences]) if sequences else np.zeros(0)
    gold_all = np.concatenate([s[1] for s in sequences]) if sequences else np.zeros(0)
    ious = [best_iou(g, p_spans) for _, _, p_spans, g_spans in sequences for g in g_spans]
    reverse = [best_iou(p, g_spans) for _, _, p_spans, g_spans in sequences for p in p_spans]
    gold_side = float(np.mean(ious)) if ious else 0.0
    predicted_side = float(np.mean(reverse)) if reverse else 0.0
    return Scores(
        frame_f1=frame_f1(pred_all, gold_all),
        segment_iou=gold_side,
        symmetric_iou=2 * gold_side * predicted_side / (gold_side + predicted_side)
        if gold_side + predicted_side
        else 0.0,
        f1_at_half=f1_at_half([(p_spans, g_spans) for _, _, p_spans, g_spans in sequences]),
        predicted_segments=sum(len(s[2]) for s in sequences),
        gold_segments=sum(len(s[3]) for s in sequences),
    )
