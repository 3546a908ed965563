"""Continuous sign language recognition on the DGS sentence clips: speed on the CPU and word error rates.

Speed (one CPU thread, as on a small server): milliseconds to recognise one second of signing (features, network,
greedy decoding) for the BiLSTM and the transformer model at their default sizes, against the goal of 50 ms; and
training throughput in sentences per second.

Quality, always on a signer the model never saw:
- DGS: the 358 sentences split signer-independently (test: every sentence of transcript 1414123; dev drawn by
  recording from the rest);
- RWTH-BOSTON-104: leave one signer out, each of the three signers in turn (train on the other two; dev drawn from
  their sentences). Only hand centroids and the nose are tracked there.
The BiLSTM model is trained end to end, then with iterative fine-tuning. It is scored on its own training sentences
(does learning work?), on dev and on the held-out signer, beside trivial baselines measured on the same test
sentences: the empty hypothesis, the most frequent training gloss alone, and the most frequent training sentence.
The share of test glosses never seen in training bounds what any model trained on these clips can get right.

    .venv/bin/python benchmarks/bench_cslr.py [--epochs 80] [--iterations 2] [--corpus dgs --corpus boston104]
                                              [--skip-quality] [--device cpu]
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from collections import Counter
from pathlib import Path

import torch

from kslars.recognition.batches import batches, encode
from kslars.recognition.checkpoint import Recognizer
from kslars.recognition.config import DecodingConfig, ModelConfig, TrainingConfig
from kslars.recognition.datasets import load_corpus
from kslars.recognition.datasets.dgs import load_dgs_sentences
from kslars.recognition.features import FEATURE_SIZE, sequence_features
from kslars.recognition.model import CslrModel
from kslars.recognition.scoring.wer import score_glosses
from kslars.recognition.splits import make_split
from kslars.recognition.training import Trainer
from kslars.recognition.vocabulary import GlossVocabulary

REPO = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("KSLARS_SHARED_DATA", REPO.parent / "shared" / "data"))
DGS = SHARED / "Shogun6855__signlanguage-german-text2sign"
BOSTON = SHARED / "udacity__AIND-Recognizer" / "data"
# corpus -> (where it lies, the held-out signers: one experiment each)
EXPERIMENTS = {"dgs": (DGS, ["1414123"]), "boston104": (BOSTON, ["man-1", "woman-1", "woman-2"])}
GOAL_MS_PER_SECOND = 50.0


def speed(samples, repeats: int) -> None:
    """Recognition and training speed on one thread."""
    torch.set_num_threads(1)
    vocabulary = GlossVocabulary(g for s in samples for g in s.glosses)
    seconds = sum(s.seconds for s in samples)
    print(f"speed: {len(samples)} sentences, {seconds:.0f} s of signing, 1 CPU thread")
    started = time.perf_counter()
    features = [sequence_features(s.skeleton, 25.0) for s in samples]
    feature_ms = 1000 * (time.perf_counter() - started) / seconds
    for architecture in ("bilstm", "transformer"):
        model = CslrModel(
            ModelConfig(features=FEATURE_SIZE, vocabulary_size=len(vocabulary), architecture=architecture)
        ).eval()
        recognizer = Recognizer(model, vocabulary, DecodingConfig())
        best = float("inf")
        for _ in range(repeats):
            started = time.perf_counter()
            for f in features:
                recognizer.decode(recognizer.log_probabilities(f))
            best = min(best, time.perf_counter() - started)
        model_ms = 1000 * best / seconds
        total = feature_ms + model_ms
        print(
            f"  {architecture:11s} {total:6.1f} ms per second of signing (features {feature_ms:.1f}, network and "
            f"decoding {model_ms:.1f}): {total / GOAL_MS_PER_SECOND:.2f}x the 50 ms goal, "
            f"{1000 / total:.0f}x faster than real time"
        )
        items = encode(samples, vocabulary, 25.0)
        model.train()
        optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)
        ctc = torch.nn.CTCLoss(zero_infinity=True)
        started = time.perf_counter()
        for batch in batches(items, 8):
            log_probs, steps = model(batch.features, batch.lengths)
            loss = ctc(log_probs.transpose(0, 1), batch.targets, steps, batch.target_lengths)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        rate = len(items) / (time.perf_counter() - started)
        print(
            f"  {'':11s} training: {rate:.0f} sentences per second ({rate * seconds / len(items):.0f} s of "
            f"signing per second)"
        )
    torch.set_num_threads(os.cpu_count() or 1)


def baselines(train, test) -> dict[str, float]:
    """WER of trivial hypotheses on the test sentences."""
    references = {s.id: s.glosses for s in test}
    top_gloss = Counter(g for s in train for g in s.glosses).most_common(1)[0][0]
    top_sentence = list(Counter(tuple(s.glosses) for s in train).most_common(1)[0][0])
    rows = {
        "empty hypothesis": {i: [] for i in references},
        f"most frequent gloss ({top_gloss})": {i: [top_gloss] for i in references},
        f"most frequent sentence ({' '.join(top_sentence)})": {i: top_sentence for i in references},
    }
    return {name: score_glosses(references, hyp, "none").counts.wer for name, hyp in rows.items()}


def quality(corpus: str, test_signer: str, epochs: int, iterations: int, device: str) -> None:
    """Train with and without iterative fine-tuning, holding ``test_signer`` out, and print the WERs."""
    path = EXPERIMENTS[corpus][0]
    samples = load_corpus(corpus, path)
    ids = make_split(samples, "signer", test=[test_signer], seed=0)
    by_id = {s.id: s for s in samples}
    train, dev, test = ([by_id[i] for i in ids[part]] for part in ("train", "dev", "test"))
    known = {g for s in train for g in s.glosses}
    test_glosses = [g for s in test for g in s.glosses]
    unseen = sum(g not in known for g in test_glosses) / len(test_glosses)
    print(
        f"\n{corpus}, held-out signer {test_signer}: train {len(train)}, dev {len(dev)}, test {len(test)} sentences; "
        f"vocabulary {len(known)} glosses; {unseen:.0%} of the test glosses never occur in training"
    )
    for name, wer in baselines(train, test).items():
        print(f"  baseline {name}: test WER {wer:.1f}%")
    for rounds in (0, iterations):
        config = TrainingConfig.from_dict(
            {
                "corpus": corpus,
                "path": str(path),
                "epochs": epochs,
                "iterations": rounds,
                "seed": 0,
                "device": device,
            }
        )
        with tempfile.TemporaryDirectory() as folder:
            started = time.perf_counter()
            trainer = Trainer(config, train, dev, Path(folder))
            trainer.run()
            minutes = (time.perf_counter() - started) / 60
            recognizer = trainer.recognizer()
            scores = {
                part: recognizer.score(encode(items, trainer.vocabulary, 25.0)).counts
                for part, items in (("train", train), ("dev", dev), ("test", test))
            }
        label = f"iterative fine-tuning, {rounds} rounds" if rounds else "end-to-end only"
        print(
            f"  BiLSTM-CTC, {label} ({minutes:.1f} min): "
            + ", ".join(
                f"{part} WER {c.wer:.1f}% (S={c.substitutions} D={c.deletions} I={c.insertions} N={c.reference_words})"
                for part, c in scores.items()
            )
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=80)
    parser.add_argument(
        "--corpus",
        action="append",
        choices=sorted(EXPERIMENTS),
        help="corpus for the quality part (repeatable; default: all)",
    )
    parser.add_argument("--iterations", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--skip-quality", action="store_true")
    parser.add_argument("--device", default="auto")
    args = parser.parse_args()
    speed(load_dgs_sentences(DGS), args.repeats)
    if not args.skip_quality:
        for corpus in args.corpus or sorted(EXPERIMENTS, reverse=True):
            for signer in EXPERIMENTS[corpus][1]:
                quality(corpus, signer, args.epochs, args.iterations, args.device)


if __name__ == "__main__":
    main()
