"""Non-manual signals: eyebrow raises and furrows, head nods, shakes and tilts, mouth openings.

``read_face_track(pose_path)`` reads the face mesh of a .pose file and ``propose_nonmanual(track)`` returns
proposed segments per tier; the method and every threshold are explained in docs/engine/nonmanual.md.
"""

from kslars.engine.nonmanual.detect import EYEBROWS, HEAD, MOUTH, NonManualConfig, propose_nonmanual
from kslars.engine.nonmanual.events import Event
from kslars.engine.nonmanual.face import FaceTrack, read_face_track

__all__ = ["EYEBROWS", "HEAD", "MOUTH", "Event", "FaceTrack", "NonManualConfig", "propose_nonmanual", "read_face_track"]
