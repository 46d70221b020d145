"""The course plan: one list of lessons, read by the navigation tool, the checker and tests.

A lesson that has no notebook yet is listed in the course map without a link, as "coming".
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
IMAGES = ROOT / "images"


@dataclass(frozen=True)
class Lesson:
    number: int
    slug: str
    title: str
    summary: str

    @property
    def filename(self) -> str:
        return f"{self.number:02d}_{self.slug}.ipynb"

    @property
    def path(self) -> Path:
        return NOTEBOOKS / self.filename

    @property
    def exists(self) -> bool:
        return self.path.is_file()

    @property
    def label(self) -> str:
        return f"{self.number:02d} · {self.title}"


LESSONS = [
    Lesson(
        0,
        "start_here",
        "Start here",
        "How the course works: cells, widgets, exercises, the course map and a setup check.",
    ),
    Lesson(
        1,
        "surprise_and_entropy",
        "Surprise and entropy",
        "Surprisal −log p, bits vs nats, entropy as expected surprise; a coin-bias widget.",
    ),
    Lesson(
        2,
        "cross_entropy_and_kl",
        "Cross-entropy and KL divergence",
        "H(p, q) = H(p) + KL(p‖q), Gibbs' inequality, one-hot targets give −log ŷ_true.",
    ),
    Lesson(
        3,
        "maximum_likelihood",
        "Maximum likelihood",
        "Likelihood of labels, underflow, log-likelihood: mean NLL is average cross-entropy.",
    ),
    Lesson(
        4,
        "softmax_logits_stability",
        "Softmax, logits and stability",
        "Softmax, temperature, log-sum-exp, overflow and log(0), why libraries take logits.",
    ),
    Lesson(
        5,
        "gradients",
        "Gradients",
        "Derive ∂L/∂z = softmax(z) − e_y and check it numerically; is it really gradient-friendly?",
    ),
    Lesson(
        6,
        "tiny_classifier",
        "A tiny classifier",
        "Softmax regression in NumPy from scratch: train, plot decision regions, regularise.",
    ),
    Lesson(
        7,
        "going_nonlinear",
        "Going nonlinear",
        "A one-hidden-layer network with hand-written backprop on spirals; overconfidence.",
    ),
    Lesson(
        8,
        "playground",
        "Playground",
        "The widget hub: feel how probabilities, logits and temperature drive the loss.",
    ),
    Lesson(
        9,
        "binary_and_multilabel",
        "Binary and multi-label",
        "BCE, stable BCE-with-logits, pos_weight, multi-label vs multi-class.",
    ),
    Lesson(
        10,
        "why_not_mse",
        "Why not MSE?",
        "Cross-entropy vs squared error: saturation, convexity, a training race, proper scoring.",
    ),
    Lesson(
        11,
        "imbalance_smoothing_calibration",
        "Imbalance, smoothing, calibration",
        "Class weights, resampling, focal loss, label smoothing, reliability and temperature scaling.",
    ),
    Lesson(
        12,
        "frameworks_and_pitfalls",
        "Frameworks and pitfalls",
        "PyTorch, Keras and scikit-learn conventions; the seed post's 0.8178 vs 0.4581; a checklist.",
    ),
    Lesson(
        13,
        "language_models",
        "Language models: cross-entropy is compression",
        "A character model of The Tempest: counts, smoothing as a prior, a neural model; "
        "bits per character are the compressed length (vs gzip); sampling; padded batches.",
    ),
    Lesson(
        14,
        "distillation_and_contrastive",
        "Distillation and contrastive learning",
        "Soft targets and the T² factor; InfoNCE and CLIP as cross-entropy over a batch; "
        "choose a distribution, get a loss.",
    ),
]

START = LESSONS[0]


def existing_lessons() -> list[Lesson]:
    return [lesson for lesson in LESSONS if lesson.exists]


def notebook_paths() -> list[Path]:
    """Every notebook under notebooks/, in course order (what the tools and tests run)."""
    return sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))


# ---- the ten confusions: where each is shown in code, and which exercises name it
@dataclass(frozen=True)
class Confusion:
    letter: str
    name: str  # words the feedback of a tagged exercise must contain
    what: str
    seen_in: str
    sections: tuple  # ("04", "7") = lesson 04, section 7 (a heading "## 7. …")

    @property
    def tag(self) -> str:
        return f"confusion-{self.letter}"


CONFUSIONS = [
    Confusion(
        "a",
        "double softmax",
        "probabilities fed to a loss that expects logits (a double softmax)",
        "pytorch#131171, #82538; the seed post",
        (("04", "7"), ("12", "1"), ("12", "2")),
    ),
    Confusion(
        "b",
        "log-probabilities",
        "`nll_loss` expects log-probabilities, not probabilities",
        "pytorch#10033, fastbook#501",
        (("12", "4"),),
    ),
    Confusion(
        "c",
        "swapped branches",
        "the two branches of binary cross-entropy swapped",
        "fastbook#403",
        (("09", "2"),),
    ),
    Confusion(
        "d",
        "log(0)",
        "log(0) gives inf/NaN; clipping caps the loss and zeroes the gradient",
        "everywhere",
        (("04", "6"), ("09", "3"), ("12", "8")),
    ),
    Confusion(
        "e",
        "global max",
        "log-sum-exp shifted by one global max instead of each row's max",
        "d2l#1593, #2592",
        (("04", "6"),),
    ),
    Confusion(
        "f",
        "with-logits",
        "sigmoid then BCE instead of BCE-with-logits (stability)",
        "pytorch#751",
        (("09", "3"),),
    ),
    Confusion(
        "g",
        "multi-label",
        "binary vs categorical cross-entropy (multi-label vs multi-class)",
        "keras#3396",
        (("09", "6"), ("09", "7")),
    ),
    Confusion(
        "h",
        "mean vs sum",
        "mean vs sum reduction, and the learning rate",
        "",
        (("03", "7"), ("12", "6")),
    ),
    Confusion(
        "i",
        "weighted mean",
        "a weighted mean divides by the sum of the targets' weights",
        "pytorch#25571",
        (("12", "7"),),
    ),
    Confusion(
        "j",
        "Jacobian",
        "the full softmax Jacobian vs the fused gradient q − e_y",
        "",
        (("05", "2"), ("10", "2")),
    ),
]
