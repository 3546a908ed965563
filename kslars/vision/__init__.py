"""Video decoding and MediaPipe landmarks: PyAV frames in, .pose files and landmark arrays out."""
