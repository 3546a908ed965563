"""The BODY_25 skeleton (OpenPose order) built from MediaPipe's 33 pose landmarks.

The segmentation model is trained on keypoints stored in BODY_25 order (the DGS training clips); the engine
produces MediaPipe Holistic landmarks. This module is the one place that maps one to the other. Joints that
MediaPipe lacks are derived: neck = mid-shoulders, mid-hip = mid-hips; small toes reuse the foot index point.
"""

from __future__ import annotations

import numpy as np

BODY25_NAMES = (
    "Nose",
    "Neck",
    "RShoulder",
    "RElbow",
    "RWrist",
    "LShoulder",
    "LElbow",
    "LWrist",
    "MidHip",
    "RHip",
    "RKnee",
    "RAnkle",
    "LHip",
    "LKnee",
    "LAnkle",
    "REye",
    "LEye",
    "REar",
    "LEar",
    "LBigToe",
    "LSmallToe",
    "LHeel",
    "RBigToe",
    "RSmallToe",
    "RHeel",
)
# BODY_25 joint -> MediaPipe pose landmark indices averaged to make it
MEDIAPIPE_SOURCES: tuple[tuple[int, ...], ...] = (
    (0,),
    (11, 12),
    (12,),
    (14,),
    (16,),
    (11,),
    (13,),
    (15,),
    (23, 24),
    (24,),
    (26,),
    (28,),
    (23,),
    (25,),
    (27,),
    (5,),
    (2,),
    (8,),
    (7,),
    (31,),
    (31,),
    (29,),
    (32,),
    (32,),
    (30,),
)
NOSE, NECK, R_SHOULDER, R_ELBOW, R_WRIST, L_SHOULDER, L_ELBOW, L_WRIST = range(8)
R_EYE, L_EYE = 15, 16


def mediapipe_to_body25(points: np.ndarray, confidence: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(T, 33, D) MediaPipe pose landmarks and (T, 33) confidences -> (T, 25, D) BODY_25 joints and (T, 25) bool seen.

    A derived joint is seen only when all its sources are.
    """
    joints = np.stack([points[:, list(src)].mean(axis=1) for src in MEDIAPIPE_SOURCES], axis=1)
    seen = np.stack([(confidence[:, list(src)] > 0).all(axis=1) for src in MEDIAPIPE_SOURCES], axis=1)
    return joints.astype(np.float32), seen
