"""Training playground: pick data, a model and its settings, press Train, watch it learn.

The loss curve and the decision regions update *while* the model trains (every few
epochs, from the model's ``callback``), so a learner sees what a learning rate that is too
small or too large does, that a linear model cannot bend around a spiral, what class
weights do to the minority class, and how label smoothing keeps the loss above zero.
The previous run stays on the loss plot in grey, for comparison.

What the playground shows is a pure function of two values (:func:`run_state`): the
controls' values and the current :class:`Run` (a configuration, its model once trained,
and the loss curve of the run before it). Moving a control changes only the first;
pressing Train replaces the second.
"""

from __future__ import annotations

import functools
import warnings
from dataclasses import dataclass, field

import numpy as np
from matplotlib.figure import Figure
from matplotlib.image import AxesImage
from matplotlib.lines import Line2D
from matplotlib.text import Text

from .. import plotting
from .._validation import check_choice, check_number
from ..datasets import make_blobs, make_imbalanced, make_moons, make_spirals, train_test_split
from ..metrics import balanced_accuracy, recall_per_class
from ..models import SoftmaxRegression, TinyMLP
from ._explorer import Explorer, button, choice, new_figure, slider

FIGURE_TEXT = (
    "Figure: left, the training points of each class (circles, squares, triangles) on the "
    "model's decision regions; right, the training loss (solid) and validation loss "
    "(dashed) against the epoch, the previous run in grey, ln C dotted."
)
DATASETS = {
    "blobs": lambda: make_blobs(300, n_classes=3, spread=1.2, seed=0),
    "moons": lambda: make_moons(300, noise=0.2, seed=0),
    "spirals": lambda: make_spirals(300, n_classes=3, noise=0.2, seed=0),
    "imbalanced": lambda: make_imbalanced(1450, ratio=(0.9, 0.1), spread=2.0, seed=0),
}
# The share of each dataset kept for validation. The imbalanced set keeps 1000 of its 1450
# points (100 of the minority class) and trains on 450 like the others: a recall measured on
# 15 minority points (a quarter of 600) moves in steps of 0.07 and cannot be trusted.
VALIDATION_SHARE = {"blobs": 0.25, "moons": 0.25, "spirals": 0.25, "imbalanced": 1000 / 1450}
MODELS = ("linear", "TinyMLP")
CLASS_WEIGHTS = ("none", "balanced")
MAX_CLASSES = 3
MIN_EPOCHS, MAX_EPOCHS = 10, 3000
LR_MIN, LR_MAX = 0.01, 3.0
MAX_LABEL_SMOOTHING = 0.3
LIMIT = 3.2  # features are standardised; the plot shows [−LIMIT, LIMIT]²
RESOLUTION = 70
FRAMES = 30  # pictures per training run


@functools.lru_cache(maxsize=len(DATASETS))
def playground_data(dataset: str):
    """``(X_train, y_train, X_val, y_val)`` for a named dataset: a stratified split (75/25,
    or 450/1000 for the imbalanced set: see :data:`VALIDATION_SHARE`), standardised with the
    training set's mean and standard deviation (so one learning rate suits every dataset and
    the plot's limits never change)."""
    if dataset not in DATASETS:
        raise ValueError(f"dataset must be one of {sorted(DATASETS)}, got {dataset!r}.")
    X, y = DATASETS[dataset]()
    X_train, X_val, y_train, y_val = train_test_split(
        X, y, test_size=VALIDATION_SHARE[dataset], seed=0
    )
    mean, std = X_train.mean(axis=0), X_train.std(axis=0)
    return (X_train - mean) / std, y_train, (X_val - mean) / std, y_val


@functools.lru_cache(maxsize=1)
def _grid():
    ticks = np.linspace(-LIMIT, LIMIT, RESOLUTION)
    gx, gy = np.meshgrid(ticks, ticks)
    return np.column_stack([gx.ravel(), gy.ravel()])


def make_model(model="linear", lr=0.5, epochs=300, class_weight="none", label_smoothing=0.0):
    """The classifier a playground configuration describes (untrained)."""
    if model not in MODELS:
        raise ValueError(f"model must be one of {list(MODELS)}, got {model!r}.")
    kwargs = {
        "lr": lr,
        "epochs": int(epochs),
        "class_weight": None if class_weight == "none" else class_weight,
        "label_smoothing": label_smoothing,
        "seed": 0,
    }
    return SoftmaxRegression(**kwargs) if model == "linear" else TinyMLP(hidden=32, **kwargs)


def playground_state(model, data, *, epochs: int) -> dict:
    """What the playground shows for a model (fitted, part-way through ``fit``, or None).

    An untrained model predicts the uniform distribution: loss ln C, every region undecided.
    A run whose loss became infinite or NaN (a learning rate too large) is reported as
    ``diverged`` and its numbers are not used.

    >>> s = playground_state(None, playground_data("moons"), epochs=100)
    >>> s["trained"], round(s["loss"], 4), s["grid_probs"].shape
    (False, 0.6931, (4900, 2))
    """
    _, y_train, X_val, y_val = data
    n_classes = len(np.unique(y_train))
    history = getattr(model, "history_", None) if model is not None else None
    losses = np.asarray(history["loss"] if history else [], dtype=float)
    diverged = bool(losses.size and not np.all(np.isfinite(losses)))
    diverged = diverged or bool(getattr(model, "diverged_", False))  # fit stopped it
    if history and not diverged:
        grid_probs = model.predict_proba(_grid())
        val_pred = model.predict(X_val)
        diverged = not np.all(np.isfinite(grid_probs))
    if not history or diverged:
        grid_probs = np.full((len(_grid()), n_classes), 1 / n_classes)
        val_pred = np.zeros_like(y_val)
        losses = losses[np.isfinite(losses)]
    val_losses = np.asarray(history["val_loss"] if history else [], dtype=float)
    val_losses = val_losses[np.isfinite(val_losses)]
    uniform = float(np.log(n_classes))
    trained = bool(history) and not diverged
    return {
        "trained": trained,
        "diverged": diverged,
        "epoch": len(losses),
        "epochs": int(epochs),
        "n_classes": n_classes,
        "loss": float(losses[-1]) if trained else uniform,
        "val_loss": float(val_losses[-1]) if trained and val_losses.size else uniform,
        "accuracy": float(history["accuracy"][-1]) if trained else float(np.mean(y_train == 0)),
        "val_accuracy": float(np.mean(val_pred == y_val)),
        "balanced_accuracy": balanced_accuracy(y_val, val_pred),
        "recall": recall_per_class(y_val, val_pred, n_classes=n_classes),
        "history_loss": losses,
        "history_val_loss": val_losses,
        "grid_probs": grid_probs,
    }


@dataclass(frozen=True)
class Run:
    """A training run: what the loss plot and the regions show when the controls match it.

    ``config`` is the controls' values it was made with, ``model`` its classifier (None
    until Train is pressed; during training, the model part-way through ``fit``) and
    ``previous_loss`` the training-loss curve of the run before it, drawn in grey.
    """

    config: dict
    model: object = None
    previous_loss: np.ndarray = field(default_factory=lambda: np.empty(0))


def loss_curve(run: Run) -> np.ndarray:
    """The curve ``run`` leaves in grey for the next run: its finite training losses once
    trained, else the grey curve it was showing itself."""
    history = getattr(run.model, "history_", None)  # None for a run not trained yet
    if not history:
        return run.previous_loss
    losses = np.asarray(history["loss"], dtype=float)
    return losses[np.isfinite(losses)]


def run_state(values: dict, run: Run) -> dict:
    """What the playground shows for the controls' ``values`` and the current ``run`` (pure).

    When ``values`` are the run's configuration, the state is the run's (trained, or not
    yet) with the run before it in grey. Otherwise it describes an untrained run of
    ``values``, with ``run``'s curve in grey. The state holds the controls' values, all of
    :func:`playground_state`, ``previous_loss`` (the grey curve) and the training points
    ``X_train``, ``y_train``.
    """
    current = values == run.config
    data = playground_data(values["dataset"])
    return {
        **playground_state(run.model if current else None, data, epochs=values["epochs"]),
        **values,
        "previous_loss": run.previous_loss if current else loss_curve(run),
        "X_train": data[0],
        "y_train": data[1],
    }


@dataclass(frozen=True)
class Artists:
    """What :func:`build` made: the figure and the artists :func:`draw` moves."""

    figure: Figure
    regions: AxesImage  # the decision regions, coloured by the predicted class
    points: list  # the training points, one scatter per class (unused ones empty)
    config_text: Text  # the run's settings, along the top
    ghost: Line2D  # the previous run's training loss, in grey
    train_line: Line2D
    val_line: Line2D
    uniform_line: Line2D  # ln C: the loss of the uniform guess
    end_line: Line2D  # the last epoch of the run
    epoch_text: Text  # the run's progress, top right
    shown: dict = field(default_factory=dict)  # what the regions and points show now

    @property
    def slow(self) -> list:
        return [self.regions, *self.points]  # redrawn only when the data or model change

    @property
    def animated(self) -> list:
        return [
            self.regions,
            *self.points,
            self.config_text,
            self.ghost,
            self.train_line,
            self.val_line,
            self.uniform_line,
            self.end_line,
            self.epoch_text,
        ]


def build() -> Artists:
    """Decision regions with the training points beside the loss curves (log epochs)."""
    fig = new_figure(figsize=(8.4, 3.8))
    ax_d, ax_l = fig.subplots(1, 2, width_ratios=[1, 1.15])
    regions = ax_d.imshow(
        np.ones((RESOLUTION, RESOLUTION, 3)),
        origin="lower",
        extent=(-LIMIT, LIMIT, -LIMIT, LIMIT),
        interpolation="bilinear",
    )
    markers, colours = ["o", "s", "^"], list(plotting.PALETTE.values())
    points = [
        ax_d.scatter(
            np.empty(0),
            np.empty(0),
            s=16,
            marker=markers[k],
            color=colours[k],
            edgecolor="white",
            linewidth=0.5,
            label=f"class {k}",
        )
        for k in range(MAX_CLASSES)
    ]
    ax_d.set(xlim=(-LIMIT, LIMIT), ylim=(-LIMIT, LIMIT), xlabel="x₁ (standardised)", ylabel="x₂")
    ax_d.set_aspect("equal")
    ax_d.grid(False)
    # A strip along the top, kept out of the layout, names the run and its progress.
    fig.get_layout_engine().set(rect=(0, 0, 1, 0.91))
    # (Texts of an Axes, placed in figure coordinates: savefig skips animated artists
    # that belong to the figure itself, but not those of an Axes.)
    config_text = ax_d.text(
        0.01, 0.985, "", transform=fig.transFigure, ha="left", va="top", fontsize=10
    )
    epoch_text = ax_d.text(
        0.99,
        0.985,
        "",
        transform=fig.transFigure,
        ha="right",
        va="top",
        fontsize=10,
        fontweight="bold",
    )

    ax_l.set_xscale("log")
    ax_l.set(
        xlim=(1, MAX_EPOCHS),
        ylim=(0, 1.6),
        xlabel="epoch (log scale)",
        ylabel="cross-entropy (nats)",
    )
    (ghost,) = ax_l.plot([], [], color="0.45", lw=1.5, ls="-.", label="previous run")
    (train_line,) = ax_l.plot([], [], color=plotting.PALETTE["blue"], lw=2, label="training loss")
    (val_line,) = ax_l.plot(
        [], [], color=plotting.PALETTE["vermillion"], lw=2, ls="--", label="validation loss"
    )
    (uniform_line,) = ax_l.plot(
        [1, MAX_EPOCHS], [0, 0], color="black", lw=1, ls=":", label="ln C (uniform guess)"
    )
    end_line = ax_l.axvline(1, color=plotting.PALETTE["green"], lw=1, label="last epoch")
    ax_l.legend(loc="upper right", fontsize=10, ncols=2)
    return Artists(
        fig,
        regions,
        points,
        config_text,
        ghost,
        train_line,
        val_line,
        uniform_line,
        end_line,
        epoch_text,
    )


def draw(artists: Artists, state: dict) -> bool:
    """Set the points, the regions, the curves and the texts (False: nothing static)."""
    # The regions and points are slow to draw: set them (which marks them for a redraw)
    # only when they change.
    if artists.shown.get("dataset") != state["dataset"]:
        for k, points in enumerate(artists.points):
            points.set_offsets(
                state["X_train"][state["y_train"] == k]
                if k < state["n_classes"]
                else np.empty((0, 2))
            )
        artists.shown["dataset"] = state["dataset"]
    shown_probs = artists.shown.get("grid_probs")
    if shown_probs is None or not np.array_equal(shown_probs, state["grid_probs"]):
        artists.regions.set_data(
            plotting.region_colours(state["grid_probs"]).reshape(RESOLUTION, RESOLUTION, 3)
        )
        artists.shown["grid_probs"] = state["grid_probs"]
    epochs = np.arange(1, state["epoch"] + 1)
    artists.train_line.set_data(epochs, state["history_loss"])
    artists.val_line.set_data(epochs[: state["history_val_loss"].size], state["history_val_loss"])
    previous = state["previous_loss"]
    artists.ghost.set_data(np.arange(1, previous.size + 1), previous)
    artists.uniform_line.set_ydata([np.log(state["n_classes"])] * 2)
    artists.end_line.set_xdata([state["epochs"]] * 2)
    artists.config_text.set_text(
        f"{state['dataset']} · {state['model']} · learning rate {state['lr']:.2f} · "
        f"{state['epochs']} epochs · class weights {state['class_weight']} · label smoothing "
        f"{state['label_smoothing']:.2f}"
    )
    if state["diverged"]:
        status = "diverged: lower the learning rate"
    elif state["trained"]:
        status = f"epoch {state['epoch']} / {state['epochs']}"
    else:
        status = "untrained: press Train"
    artists.epoch_text.set_text(status)
    return False


def describe(state: dict) -> str:
    """The readout: the run's losses and accuracies, or what an untrained run would be."""
    recall = ", ".join(f"{r:.2f}" for r in state["recall"])
    if state["diverged"]:
        head = "<b>diverged</b> (the loss overflowed): lower the learning rate"
    elif not state["trained"]:
        head = (
            f"untrained {state['model']} (learning rate {state['lr']:.2f}, {state['epochs']} "
            f"epochs, class weights {state['class_weight']}, label smoothing "
            f"{state['label_smoothing']:.2f}): loss = ln {state['n_classes']} = "
            f"{state['loss']:.3f}; press Train"
        )
    else:
        head = (
            f"epoch {state['epoch']}/{state['epochs']}: <b>loss {state['loss']:.3f}</b>, "
            f"validation loss {state['val_loss']:.3f}; accuracy {state['accuracy']:.2f} "
            f"(train), {state['val_accuracy']:.2f} (validation)"
        )
    return (
        f"{head} · balanced validation accuracy {state['balanced_accuracy']:.2f}, "
        f"recall per class [{recall}]"
    )


def check_settings(dataset, model, lr, epochs, class_weight, label_smoothing) -> dict:
    """The playground's arguments, each checked against its control; a dict of them."""
    return {
        "dataset": check_choice(dataset, "dataset", tuple(DATASETS)),
        "model": check_choice(model, "model", MODELS),
        "lr": check_number(lr, "lr", example=0.5, low=LR_MIN, high=LR_MAX),
        "epochs": check_number(
            epochs, "epochs", example=300, low=MIN_EPOCHS, high=MAX_EPOCHS, integer=True
        ),
        "class_weight": check_choice(class_weight, "class_weight", CLASS_WEIGHTS),
        "label_smoothing": check_number(
            label_smoothing, "label_smoothing", example=0.1, low=0.0, high=MAX_LABEL_SMOOTHING
        ),
    }


def make_controls(dataset, model, lr, epochs, class_weight, label_smoothing) -> dict:
    """The playground's controls, set to the given (checked) settings, and its Train button."""
    return {
        "dataset": choice("dataset", list(DATASETS), dataset),
        "model": choice("model", MODELS, model),
        "lr": slider("learning rate", lr, LR_MIN, LR_MAX, 0.01, width="300px"),
        "epochs": slider("epochs", epochs, MIN_EPOCHS, MAX_EPOCHS, 10, integer=True),
        "class_weight": choice("class weights", CLASS_WEIGHTS, class_weight),
        "label_smoothing": slider(
            "label smoothing", label_smoothing, 0.0, MAX_LABEL_SMOOTHING, 0.01, width="300px"
        ),
        "train": button(
            "Train", tooltip="train this model from scratch, watching it learn", primary=True
        ),
    }


class TrainingPlayground(Explorer):
    """The explorer behind :func:`training_playground` (an Explorer with a Train button).

    Its state is :func:`run_state` of the controls' values and :attr:`run`. Changing a
    control describes a new, untrained run (the old curve turns grey);
    ``controls["train"].click()`` (or :meth:`train`) trains it, repainting every few epochs.
    """

    def __init__(self, dataset, model, lr, epochs, class_weight, label_smoothing):
        settings = check_settings(dataset, model, lr, epochs, class_weight, label_smoothing)
        controls = make_controls(**settings)
        self._run = Run(config=settings)  # not trained yet
        artists = build()
        super().__init__(
            "Training playground",
            controls,
            self._state_of,
            artists.figure,
            functools.partial(draw, artists),
            describe,
            animated=artists.animated,
            figure_text=FIGURE_TEXT,
            slow=artists.slow,
            ahead=False,  # the state depends on the last training run too
        )
        controls["train"].on_click(lambda _button: self.train())

    @property
    def run(self) -> Run:
        """The current run: replaced by :meth:`train`, never changed by a control."""
        return self._run

    def _state_of(self, **values) -> dict:
        return run_state(values, self._run)

    def train(self) -> None:
        """Train the current configuration from scratch, repainting every few epochs."""
        config = self.values()
        previous = loss_curve(self._run)
        data = playground_data(config["dataset"])
        model = make_model(**{k: v for k, v in config.items() if k != "dataset"})
        every = max(1, config["epochs"] // FRAMES)

        def show(model_so_far, epoch, logs):
            finite = np.isfinite(logs["loss"])
            if not finite or (epoch + 1) % every == 0:
                self.show(run_state(config, Run(config, model_so_far, previous)))
            return bool(finite)  # stop at once when the loss overflows

        with np.errstate(over="ignore", invalid="ignore"), warnings.catch_warnings():
            # A run that diverges is shown as "diverged" in the readout and the figure; the
            # model's own warning would only repeat it below the widget.
            warnings.simplefilter("ignore", RuntimeWarning)
            model.fit(data[0], data[1], validation_data=(data[2], data[3]), callback=show)
        self._run = Run(config, model, previous)
        self.update()


def training_playground(
    dataset="moons", model="linear", lr=0.5, epochs=300, class_weight="none", label_smoothing=0.0
) -> TrainingPlayground:
    """Choose a dataset, a model and its settings; press Train; watch the loss and regions.

    Controls: ``dataset`` (blobs, moons, spirals, imbalanced), ``model`` (linear or
    TinyMLP), ``lr`` (0.01 to 3), ``epochs`` (10 to 3000), ``class_weight`` (none or
    balanced), ``label_smoothing`` (0 to 0.3) and the ``train`` button. State: the
    controls' values, and ``trained``, ``diverged``, ``epoch``, ``loss``, ``val_loss``,
    ``accuracy``, ``val_accuracy``, ``balanced_accuracy``, ``recall``, ``history_loss``,
    ``history_val_loss``, ``grid_probs``, ``previous_loss``, ``X_train``, ``y_train``.
    """
    return TrainingPlayground(dataset, model, lr, epochs, class_weight, label_smoothing)
