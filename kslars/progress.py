"""A terminal progress bar driven by the ``progress(fraction, message)`` callbacks of the engine and vision code."""

from __future__ import annotations


class ProgressBar:
    """A tqdm bar from 0 to 100 % that shows the last message beside it."""

    def __init__(self, description: str, position: int = 0) -> None:
        from tqdm import tqdm

        self.bar = tqdm(
            total=1000,
            desc=description,
            unit="‰",
            leave=False,
            position=position,
            bar_format="{desc}: {percentage:3.0f}%|{bar}| {elapsed}<{remaining} {postfix}",
        )

    def __call__(self, fraction: float, message: str) -> None:
        self.bar.n = int(min(1.0, max(0.0, fraction)) * 1000)
        self.bar.set_postfix_str(message, refresh=False)
        self.bar.refresh()

    def close(self) -> None:
        """Remove the bar from the terminal."""
        self.bar.close()
