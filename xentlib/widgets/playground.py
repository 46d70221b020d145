"""Training playground: pick data, a model and its settings, press Train, watch it learn.

The loss curve and the decision regions update *while* the model trains (every few
epochs, from the model's ``callback``), so a learner sees what a learning rate that is too
small or too large does, that a linear model cannot bend around a spiral, what class
weights do to the minority class, and how label smoothing keeps the loss above zero.
The previous run stays on the loss plot in grey, for comparison.
"""

from __future__ import annotations

import functools

import ipywidgets as W
import numpy as np

from .. import plotting
from ..datasets import make_blobs, make_imbalanced, make_moons, make_spirals, train_test_split
from ..metrics import balanced_accuracy, recall_per_class
from ..models import SoftmaxRegression, TinyMLP
from ._explorer import Explorer, new_figure, slider

DATASETS = {
    "blobs": lambda: make_blobs(300, n_classes=3, spread=1.2, seed=0),
    "moons": lambda: make_moons(300, noise=0.2, seed=0),
    "spirals": lambda: make_spirals(300, n_classes=3, noise=0.2, seed=0),
    "imbalanced": lambda: make_imbalanced(600, ratio=(0.9, 0.1), spread=1.5, seed=0),
}
MODELS = ("linear", "TinyMLP")
MAX_CLASSES = 3
MAX_EPOCHS = 3000
LR_MIN, LR_MAX = 0.01, 3.0
LIMIT = 3.2  # features are standardised; the plot shows [−LIMIT, LIMIT]²
RESOLUTION = 70
FRAMES = 30  # pictures per training run


@functools.lru_cache(maxsize=len(DATASETS))
def playground_data(dataset: str):
    """``(X_train, y_train, X_val, y_val)`` for a named dataset: a stratified 75/25 split,
    standardised with the training set's mean and standard deviation (so one learning rate
    suits every dataset and the plot's limits never change)."""
    if dataset not in DATASETS:
        raise ValueError(f"dataset must be one of {sorted(DATASETS)}, got {dataset!r}.")
    X, y = DATASETS[dataset]()
    X_train, X_val, y_train, y_val = train_test_split(X, y, test_size=0.25, seed=0)
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


class TrainingPlayground(Explorer):
    """The explorer behind :func:`training_playground` (an Explorer with a Train button).

    Changing a control describes a new, untrained run (the old curve turns grey);
    ``controls["train"].click()`` (or :meth:`train`) trains it, repainting every few epochs.
    """

    def __init__(self, dataset, model, lr, epochs, class_weight, label_smoothing):
        controls = {
            "dataset": W.Dropdown(
                options=list(DATASETS),
                value=dataset,
                description="dataset",
                layout=W.Layout(width="200px"),
            ),
            "model": W.ToggleButtons(
                options=list(MODELS),
                value=model,
                description="model",
                style={"button_width": "80px"},
            ),
            "lr": slider("learning rate", lr, LR_MIN, LR_MAX, 0.01, width="300px"),
            "epochs": W.IntSlider(
                value=epochs,
                min=10,
                max=MAX_EPOCHS,
                step=10,
                description="epochs",
                style={"description_width": "initial"},
                layout=W.Layout(width="300px"),
            ),
            "class_weight": W.ToggleButtons(
                options=["none", "balanced"],
                value=class_weight,
                description="class weights",
                style={"button_width": "80px", "description_width": "initial"},
            ),
            "label_smoothing": slider(
                "label smoothing", label_smoothing, 0.0, 0.3, 0.01, width="300px"
            ),
            "train": W.Button(
                description="Train",
                button_style="primary",
                icon="play",
                tooltip="train this model from scratch, watching it learn",
            ),
        }
        self._model = None  # the model of the current configuration, once trained
        self._config = None
        self._previous = np.empty(0)  # the last trained run's loss curve (drawn in grey)
        self._build_figure()
        super().__init__(
            "Training playground",
            controls,
            self._compute,
            self._fig,
            self._draw_state,
            self._describe_state,
            animated=self._animated_artists,
        )
        controls["train"].on_click(lambda _button: self.train())

    # ---- figure ------------------------------------------------------------------------
    def _build_figure(self):
        fig = self._fig = new_figure(figsize=(8.4, 3.8))
        ax_d, ax_l = fig.subplots(1, 2, width_ratios=[1, 1.15])
        self._regions = ax_d.imshow(
            np.ones((RESOLUTION, RESOLUTION, 3)),
            origin="lower",
            extent=(-LIMIT, LIMIT, -LIMIT, LIMIT),
            interpolation="bilinear",
        )
        markers, colours = ["o", "s", "^"], list(plotting.PALETTE.values())
        self._points = [
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
        ax_d.set(
            xlim=(-LIMIT, LIMIT), ylim=(-LIMIT, LIMIT), xlabel="x₁ (standardised)", ylabel="x₂"
        )
        ax_d.set_aspect("equal")
        ax_d.grid(False)
        # A strip along the top, kept out of the layout, names the run and its progress.
        fig.get_layout_engine().set(rect=(0, 0, 1, 0.91))
        # (Texts of an Axes, placed in figure coordinates: savefig skips animated artists
        # that belong to the figure itself, but not those of an Axes.)
        self._config_text = ax_d.text(
            0.01, 0.985, "", transform=fig.transFigure, ha="left", va="top", fontsize=9.5
        )
        self._epoch_text = ax_d.text(
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
        (self._ghost,) = ax_l.plot([], [], color="grey", lw=1.5, alpha=0.6, label="previous run")
        (self._train_line,) = ax_l.plot(
            [], [], color=plotting.PALETTE["blue"], lw=2, label="training loss"
        )
        (self._val_line,) = ax_l.plot(
            [], [], color=plotting.PALETTE["vermillion"], lw=2, ls="--", label="validation loss"
        )
        (self._uniform_line,) = ax_l.plot(
            [1, MAX_EPOCHS], [0, 0], color="black", lw=1, ls=":", label="ln C (uniform guess)"
        )
        self._end_line = ax_l.axvline(1, color=plotting.PALETTE["green"], lw=1, label="last epoch")
        ax_l.legend(loc="upper right", fontsize=8, ncols=2)
        self._animated_artists = [
            self._regions,
            *self._points,
            self._config_text,
            self._ghost,
            self._train_line,
            self._val_line,
            self._uniform_line,
            self._end_line,
            self._epoch_text,
        ]

    def _draw_state(self, state):
        data = playground_data(self._config["dataset"])
        X_train, y_train = data[0], data[1]
        for k, points in enumerate(self._points):
            points.set_offsets(
                X_train[y_train == k] if k < state["n_classes"] else np.empty((0, 2))
            )
        self._regions.set_data(
            plotting.region_colours(state["grid_probs"]).reshape(RESOLUTION, RESOLUTION, 3)
        )
        epochs = np.arange(1, state["epoch"] + 1)
        self._train_line.set_data(epochs, state["history_loss"])
        self._val_line.set_data(epochs[: state["history_val_loss"].size], state["history_val_loss"])
        self._ghost.set_data(np.arange(1, self._previous.size + 1), self._previous)
        self._uniform_line.set_ydata([np.log(state["n_classes"])] * 2)
        self._end_line.set_xdata([state["epochs"]] * 2)
        c = self._config
        self._config_text.set_text(
            f"{c['dataset']} · {c['model']} · learning rate {c['lr']:.2f} · {c['epochs']} "
            f"epochs · class weights {c['class_weight']} · label smoothing "
            f"{c['label_smoothing']:.2f}"
        )
        if state["diverged"]:
            status = "diverged: lower the learning rate"
        elif state["trained"]:
            status = f"epoch {state['epoch']} / {state['epochs']}"
        else:
            status = "untrained: press Train"
        self._epoch_text.set_text(status)
        return False

    @staticmethod
    def _describe_state(state):
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

    # ---- events ------------------------------------------------------------------------
    def _compute(self, **config):
        if config != self._config:  # a new configuration: its model is not trained yet
            if self._model is not None:
                self._previous = self.state.get("history_loss", np.empty(0))
            self._model, self._config = None, config
        data = playground_data(config["dataset"])
        return {**playground_state(self._model, data, epochs=config["epochs"]), **config}

    def train(self) -> None:
        """Train the current configuration from scratch, repainting every few epochs."""
        config = self.values()
        if self._model is not None:
            self._previous = self.state["history_loss"]
        self._config = config
        data = playground_data(config["dataset"])
        model = make_model(**{k: v for k, v in config.items() if k != "dataset"})
        every = max(1, config["epochs"] // FRAMES)

        def show(model_so_far, epoch, logs):
            finite = np.isfinite(logs["loss"])
            if not finite or (epoch + 1) % every == 0:
                self.show(
                    {**playground_state(model_so_far, data, epochs=config["epochs"]), **config}
                )
            return bool(finite)  # stop at once when the loss overflows

        with np.errstate(over="ignore", invalid="ignore"):
            model.fit(data[0], data[1], validation_data=(data[2], data[3]), callback=show)
        self._model = model
        self.update()


def training_playground(
    dataset="moons", model="linear", lr=0.5, epochs=300, class_weight="none", label_smoothing=0.0
) -> TrainingPlayground:
    """Choose a dataset, a model and its settings; press Train; watch the loss and regions.

    Controls: ``dataset`` (blobs, moons, spirals, imbalanced), ``model`` (linear or
    TinyMLP), ``lr``, ``epochs``, ``class_weight`` (none or balanced), ``label_smoothing``
    and the ``train`` button. State: the controls' values, and ``trained``, ``diverged``,
    ``epoch``, ``loss``,
    ``val_loss``, ``accuracy``, ``val_accuracy``, ``balanced_accuracy``, ``recall``,
    ``history_loss``, ``history_val_loss``, ``grid_probs``.
    """
    return TrainingPlayground(dataset, model, lr, epochs, class_weight, label_smoothing)
