"""The automatic annotation engine: landmarks in, predictions (segments, handshapes, orientation) out."""
