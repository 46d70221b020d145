"""Interactive explorers: move a control, watch the loss respond.

Every explorer follows one protocol, so it can be driven with no browser:

- ``.controls``: name → ipywidget; setting ``.value`` updates everything at once;
- ``.state``: the current computed values (plain floats and arrays), from a *pure* function
  of the controls' values, tested on its own (``probability_state``, ``coin_state``, …);
- ``.figure``: the matplotlib Figure, built once; events update its artists in place and
  repaint only what moved (blitting);
- ``.close()``; and the explorer displays itself in a notebook.

Every explorer module has the same parts, so reading one explains all of them (and a new
explorer starts as a copy of one): ``*_state`` (the pure computation), ``build()`` (makes
the figure once and returns its ``Artists``), ``draw(artists, state)`` (updates them in
place), ``describe(state)`` (the readout) and the ``*_explorer`` factory, which checks its
arguments, makes the controls, calls ``build`` and returns an :class:`Explorer`.

What the learner sees is one small front-end widget (``_view.ExplorerView``, written with
anywidget): the controls as native HTML with their names and values, a readout that screen
readers announce, and the figure as an image whose text alternative (``.alt``) follows the
state. Nothing in it traps the keyboard focus.

>>> from xentlib.widgets import EXPLORERS
>>> sorted(EXPLORERS)
['bce_explorer', 'calibration_explorer', 'distribution_explorer', 'entropy_explorer', 'logits_explorer', 'probability_explorer', 'simplex_explorer', 'smoothing_explorer', 'softening_explorer', 'threshold_explorer', 'training_playground']
"""

from ._explorer import Explorer, new_figure
from .bce import bce_explorer, bce_state
from .calibration import calibration_explorer, calibration_state
from .distributions import distribution_explorer, distribution_state
from .entropy import coin_state, entropy_explorer
from .logits import logits_explorer, logits_state
from .playground import TrainingPlayground, playground_state, training_playground
from .probability import probability_explorer, probability_state
from .simplex import simplex_explorer, simplex_state
from .smoothing import smoothing_explorer, smoothing_state
from .softening import softening_explorer, softening_state
from .threshold import threshold_explorer, threshold_state

EXPLORERS = {
    "probability_explorer": probability_explorer,
    "entropy_explorer": entropy_explorer,
    "distribution_explorer": distribution_explorer,
    "logits_explorer": logits_explorer,
    "simplex_explorer": simplex_explorer,
    "calibration_explorer": calibration_explorer,
    "bce_explorer": bce_explorer,
    "threshold_explorer": threshold_explorer,
    "smoothing_explorer": smoothing_explorer,
    "softening_explorer": softening_explorer,
    "training_playground": training_playground,
}

__all__ = [
    "EXPLORERS",
    "Explorer",
    "TrainingPlayground",
    "bce_explorer",
    "bce_state",
    "calibration_explorer",
    "calibration_state",
    "coin_state",
    "distribution_explorer",
    "distribution_state",
    "entropy_explorer",
    "logits_explorer",
    "logits_state",
    "new_figure",
    "playground_state",
    "probability_explorer",
    "probability_state",
    "simplex_explorer",
    "simplex_state",
    "smoothing_explorer",
    "smoothing_state",
    "softening_explorer",
    "softening_state",
    "threshold_explorer",
    "threshold_state",
    "training_playground",
]
