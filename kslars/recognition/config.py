"""Configurations of recognition models and their training, importable without torch.

A model checkpoint carries its :class:`ModelConfig` (and the :class:`TrainingConfig` it was trained with), so
:func:`kslars.recognition.checkpoint.load_recognizer` rebuilds everything from the file alone.
A training configuration is a TOML file whose tables mirror these dataclasses (docs/recognition/training.md).
"""

from __future__ import annotations

import dataclasses
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from kslars.recognition.features import Augmentation

ARCHITECTURES = ("bilstm", "transformer")


@dataclass
class ModelConfig:
    """Shape of the network: spatiotemporal feature extractor -> sequence model -> CTC over glosses."""

    features: int  # per-frame feature size
    vocabulary_size: int  # glosses + the CTC blank
    architecture: str = "bilstm"  # "bilstm" (ICPR 2020) or "transformer" (the baseline)
    fps: float = 25.0  # frame rate the features are computed at
    channels: int = 128  # width of the feature extractor
    kernel: int = 5  # temporal convolution kernel (frames)
    pools: int = 2  # temporal max-pooling stages, each halving the sequence
    hidden: int = 128  # BiLSTM units per direction / transformer width
    layers: int = 2  # BiLSTM or transformer layers
    heads: int = 4  # transformer attention heads
    dropout: float = 0.2

    def __post_init__(self) -> None:
        if self.architecture not in ARCHITECTURES:
            raise ValueError(f"unknown architecture {self.architecture!r}; expected one of {', '.join(ARCHITECTURES)}")

    @property
    def stride(self) -> int:
        """Input frames per output step."""
        return 2**self.pools


@dataclass
class DecodingConfig:
    """How log-probabilities become glosses: greedy, or CTC prefix beam search with a gloss n-gram model."""

    beam: int = 1  # 1: greedy
    lm_order: int = 0  # 0: no language model; else the n of the gloss n-gram model trained on the training glosses
    lm_weight: float = 0.5
    insertion_bonus: float = 0.0  # added per emitted gloss (balances the language model's penalty on length)


@dataclass
class TrainingConfig:
    """Everything a training run needs: data, split, model, optimisation, iterative fine-tuning, decoding."""

    corpus: str  # a name known to kslars.recognition.datasets.load_corpus: dgs, boston104, phoenix, ...
    path: str  # where the corpus lies (relative paths are relative to the configuration file)
    output: str = "cslr-run"  # folder for checkpoints and the log (relative to the configuration file)
    corpus_options: dict[str, Any] = field(default_factory=dict)
    split: str = "signer"  # split kind (kslars.recognition.splits) or a folder written by `kslars cslr split`
    split_options: dict[str, Any] = field(default_factory=dict)
    epochs: int = 80
    batch_size: int = 8
    learning_rate: float = 3e-3  # 1e-3 left the DGS model at 83 % WER on its own training sentences after 40 epochs
    weight_decay: float = 1e-4
    clip_norm: float = 5.0
    seed: int = 0
    device: str = "auto"  # "auto": CUDA when present, else CPU
    iterations: int = 0  # iterative fine-tuning rounds after end-to-end training (ICPR 2020)
    extractor_epochs: int = 5  # per round: epochs of the feature extractor on gloss-unit segments
    sequence_epochs: int = 10  # per round: epochs of end-to-end retraining
    model: dict[str, Any] = field(default_factory=dict)  # ModelConfig fields other than the sizes
    augment: bool = True  # random changes of each training sentence in every CTC epoch
    augmentation: Augmentation = field(default_factory=Augmentation)
    decoding: DecodingConfig = field(default_factory=DecodingConfig)

    @classmethod
    def from_dict(cls, data: dict[str, Any], base: Path | None = None) -> TrainingConfig:
        """A configuration from a parsed TOML/JSON mapping; paths made absolute against ``base``."""
        known = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise ValueError(f"unknown training setting(s): {', '.join(unknown)}")
        for name in ("corpus", "path"):
            if name not in data:
                raise ValueError(f"the training configuration needs {name!r}")
        values = dict(data)
        values["augmentation"] = _nested(Augmentation, values.get("augmentation", {}), "augmentation")
        values["decoding"] = _nested(DecodingConfig, values.get("decoding", {}), "decoding")
        if base is not None:
            for name in ("path", "output"):
                if name in values:
                    values[name] = str((base / values[name]).resolve())
            split = Path(str(values.get("split", "signer")))
            if (base / split).is_dir():
                values["split"] = str((base / split).resolve())
        return cls(**values)

    @classmethod
    def load(cls, path: Path) -> TrainingConfig:
        """Read a TOML configuration file."""
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except tomllib.TOMLDecodeError as error:
            raise ValueError(f"{path}: not valid TOML ({error})") from error
        return cls.from_dict(data, base=path.parent)

    def to_dict(self) -> dict[str, Any]:
        """Plain values, as saved in checkpoints."""
        return dataclasses.asdict(self)


def _nested(kind: type, values: Any, name: str) -> Any:
    if isinstance(values, kind):
        return values
    if not isinstance(values, dict):
        raise ValueError(f"[{name}] must be a table of settings")
    known = {f.name for f in dataclasses.fields(kind)}
    unknown = sorted(set(values) - known)
    if unknown:
        raise ValueError(f"unknown setting(s) in [{name}]: {', '.join(unknown)}")
    return kind(**values)
