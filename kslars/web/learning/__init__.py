"""Learning from corrections: a project's own segmentation model, fine-tuned on its annotator's corrected tiers."""
