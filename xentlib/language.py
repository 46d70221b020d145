r"""Character language models: text as class labels, counted, smoothed, coded and sampled.

A language model reads a text one character at a time and, before each character, gives a
distribution :math:`q(\cdot \mid \text{context})` over the vocabulary of :math:`V` characters.
Each character is a class label, so the model's loss on a text of :math:`N` characters is
the course's cross-entropy, the mean surprisal of the characters that came:

.. math:: H = -\frac{1}{N} \sum_{i=1}^{N} \log_2 q(x_i \mid x_{i-n} \dots x_{i-1})
   \quad \text{bits per character,} \qquad \text{perplexity} = 2^{H}.

:math:`N H` bits is also the length of the text coded with the model: an arithmetic coder
(:func:`arithmetic_encode`) spends :math:`-\log_2 q(x_i)` bits on character :math:`i`, plus
at most two bytes for the whole message and a little for rounding the probabilities to
integers, and :func:`arithmetic_decode` gets the text back from those bytes and the same
model. A better model of the text is a shorter file.

The pieces (lesson 13 builds its models from them):

- :func:`vocabulary`, :func:`encode`, :func:`decode`: text ↔ class indices 0 … V − 1;
- :func:`ngram_counts`: how often each character followed each context of ``context``
  characters; :func:`ngram_probs`: the probabilities they give, with add-k smoothing
  (k = 0: maximum likelihood, the relative frequencies; k > 0: the posterior mean under a
  symmetric Dirichlet prior of concentration k, every character at least a little likely);
- :func:`next_char_probs`: the distribution an n-gram table gives each character of a text;
- :func:`arithmetic_encode`, :func:`arithmetic_decode`: code a text with any model;
- :func:`sample`: generate text from a model, with a temperature.

Everything here is exact integer arithmetic or IEEE-754 operations that round the same on
every machine (counts, divisions, cumulative sums): the same text, counts, code and samples
everywhere.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from ._validation import _given, as_array, check_distribution, check_number, refuse_masked

__all__ = [
    "arithmetic_decode",
    "arithmetic_encode",
    "decode",
    "encode",
    "next_char_probs",
    "ngram_counts",
    "ngram_probs",
    "sample",
    "vocabulary",
]

MAX_TABLE = 1 << 24  # cells of an n-gram table at most (128 MiB of counts)
CODE_TOTAL = 1 << 16  # the integer frequencies of one distribution sum to this
_HALF, _QUARTER = 1 << 31, 1 << 30  # the coder's 32-bit interval
_TOP = 1 << 32


# ---- text ↔ class indices ------------------------------------------------------------------
def vocabulary(text) -> str:
    """The characters of ``text``, each once, in code-point order: class ``i`` is ``vocab[i]``.

    >>> vocabulary("to be or not to be")
    ' benort'
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be text (a str), got {_given(text)}.")
    if not text:
        raise ValueError("text is empty; pass the text to take the characters from.")
    return "".join(sorted(set(text)))


def _check_vocab(vocab) -> str:
    if not isinstance(vocab, str):
        raise TypeError(
            f"vocab must be text, each character once, as vocabulary(text) returns it; got "
            f"{_given(vocab)}."
        )
    if not vocab or len(set(vocab)) != len(vocab):
        raise ValueError(
            "vocab must hold each character once and at least one; got "
            f"{vocab!r}. Make it with vocabulary(text)."
        )
    return vocab


def encode(text, vocab) -> np.ndarray:
    """The class index of each character of ``text``: shape ``(len(text),)``, int64.

    >>> encode("to be", " beot").tolist()
    [4, 3, 0, 1, 2]
    """
    vocab = _check_vocab(vocab)
    if not isinstance(text, str):
        raise TypeError(f"text must be text (a str), got {_given(text)}.")
    index = {ch: i for i, ch in enumerate(vocab)}
    missing = next((i for i, ch in enumerate(text) if ch not in index), None)
    if missing is not None:
        raise ValueError(
            f"text holds {text[missing]!r} (at position {missing}), which is not in vocab; "
            "make the vocabulary from all the text the model will see: vocabulary(text)."
        )
    return np.fromiter((index[ch] for ch in text), dtype=np.int64, count=len(text))


def _check_ids(ids, vocab_size: int, name: str = "ids", *, min_length: int = 0) -> np.ndarray:
    arr = as_array(ids, name)
    if arr.dtype == bool or arr.dtype.kind not in "iu":
        raise TypeError(
            f"{name} must be integer class indices (as encode returns them), got "
            f"{arr.dtype} values."
        )
    if arr.ndim != 1:
        raise ValueError(f"{name} must be one sequence (1-D), got shape {arr.shape}.")
    if arr.size < min_length:
        raise ValueError(
            f"{name} has {arr.size} characters; at least {min_length} are needed here."
        )
    bad = (arr < 0) | (arr >= vocab_size)
    if bad.any():
        raise ValueError(
            f"{name} contains {int(arr[bad][0])}, but with {vocab_size} characters the "
            f"indices are 0 … {vocab_size - 1}."
        )
    return arr.astype(np.int64)


def decode(ids, vocab) -> str:
    """The text the class indices ``ids`` stand for.

    >>> decode([4, 3, 0, 1, 2], " beot")
    'to be'
    """
    vocab = _check_vocab(vocab)
    arr = _check_ids(ids, len(vocab))
    return "".join(vocab[i] for i in arr)


# ---- counting and smoothing ----------------------------------------------------------------
def ngram_counts(ids, *, context: int, vocab_size: int) -> np.ndarray:
    """How often each character followed each ``context`` characters in ``ids``.

    ``counts[a, b, c]`` (``context = 2``) is how many times ``c`` came right after ``a b``.
    The first ``context`` characters have no full context and are not counted (``context``
    = 0 counts every character: unigrams).

    Returns an int64 array of shape ``(vocab_size,) * (context + 1)``, whose entries add
    up to ``len(ids) - context``.

    >>> ngram_counts([0, 1, 0, 1, 1], context=1, vocab_size=2).tolist()
    [[0, 2], [1, 1]]
    """
    context = check_number(context, "context", example=2, low=0, integer=True)
    vocab_size = check_number(vocab_size, "vocab_size", example=65, low=1, integer=True)
    cells = vocab_size ** (context + 1)
    if cells > MAX_TABLE:
        raise ValueError(
            f"a table for context = {context} over {vocab_size} characters has "
            f"{vocab_size}**{context + 1} = {cells:,} cells, more than {MAX_TABLE:,}: use a "
            "shorter context, or a model that shares what it learns across contexts (a "
            "neural one)."
        )
    arr = _check_ids(ids, vocab_size, min_length=context + 1)
    flat = np.zeros(arr.size - context, dtype=np.int64)
    for j in range(context + 1):
        flat = flat * vocab_size + arr[j : arr.size - context + j]
    counts = np.bincount(flat, minlength=cells)
    return counts.reshape((vocab_size,) * (context + 1))


def ngram_probs(counts, *, k: float = 0.0) -> np.ndarray:
    r"""The next-character probabilities an n-gram table of ``counts`` gives, add-k smoothed.

    .. math:: q(c \mid \text{ctx}) = \frac{n(\text{ctx}, c) + k}{n(\text{ctx}) + kV}

    ``k = 0`` is the maximum-likelihood estimate (lesson 03): the relative frequencies, so a
    character never seen after a context gets probability 0, and an infinite surprisal when
    it comes. ``k > 0`` is the mean of the posterior under a symmetric Dirichlet prior of
    concentration ``k`` (the mode, MAP, under concentration ``k + 1``): ``k`` imaginary
    sightings of every character. A context never seen gets the uniform ``1 / V`` (the limit
    of the formula as ``k → 0``; the maximum-likelihood estimate does not exist there).

    ``counts`` : array of shape ``(V,) * (n + 1)`` of whole counts (:func:`ngram_counts`).
    Returns float64 of the same shape; each row ``[..., :]`` sums to 1.

    >>> ngram_probs([[0, 2], [1, 1]]).tolist()
    [[0.0, 1.0], [0.5, 0.5]]
    >>> ngram_probs([[0, 2], [1, 1]], k=1).tolist()
    [[0.25, 0.75], [0.5, 0.5]]
    """
    arr = as_array(counts, "counts")
    if arr.dtype == bool or arr.dtype.kind not in "iuf":
        raise TypeError(f"counts must be whole numbers (ngram_counts), got {arr.dtype} values.")
    if arr.ndim < 1 or arr.size == 0 or len(set(arr.shape)) != 1:
        raise ValueError(
            f"counts must have shape (V,) * (n + 1), as ngram_counts returns it; got shape "
            f"{arr.shape}."
        )
    if not np.all(np.isfinite(arr)) or (arr < 0).any() or (arr != np.round(arr)).any():
        raise ValueError("counts must be whole numbers ≥ 0 (how often each n-gram was seen).")
    k = check_number(k, "k", example=1.0, low=0.0)
    arr = arr.astype(np.float64)
    vocab_size = arr.shape[-1]
    totals = arr.sum(axis=-1, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        probs = (arr + k) / (totals + k * vocab_size)
    return np.where(totals + k * vocab_size > 0, probs, 1.0 / vocab_size)


def next_char_probs(probs, ids) -> np.ndarray:
    """The distribution an n-gram table ``probs`` gives each character of ``ids`` that has a
    full context: row ``i`` is ``probs[ids[i], …, ids[i + n - 1]]``, the prediction for
    ``ids[i + n]``.

    ``probs`` : shape ``(V,) * (n + 1)`` (:func:`ngram_probs`); ``ids`` : shape ``(N,)``.
    Returns shape ``(N - n, V)``.

    >>> next_char_probs([[0.25, 0.75], [0.5, 0.5]], [0, 1, 1]).tolist()
    [[0.25, 0.75], [0.5, 0.5]]
    """
    table = as_array(probs, "probs")
    if table.dtype.kind not in "f" or table.ndim < 1 or len(set(table.shape)) != 1:
        raise ValueError(
            f"probs must be a table of shape (V,) * (n + 1), as ngram_probs returns it; got "
            f"{_given(probs)}."
        )
    check_distribution(table.reshape(-1, table.shape[-1]), "probs", axis=-1)
    context = table.ndim - 1
    arr = _check_ids(ids, table.shape[-1], min_length=context + 1)
    rows = tuple(arr[j : arr.size - context + j] for j in range(context))
    return table[rows] if context else np.broadcast_to(table, (arr.size, table.size)).copy()


def _prediction(predict: Callable, prefix: np.ndarray, where: str = "") -> np.ndarray:
    """``predict(prefix)``, checked: one distribution over the vocabulary, shape (V,)."""
    row = predict(prefix)
    refuse_masked(row, "predict(prefix)")
    row = np.asarray(row, dtype=np.float64)
    if row.ndim != 1 or row.size < 1:
        raise ValueError(
            f"predict returned shape {row.shape}{where}; it must return one distribution over "
            "the vocabulary, shape (V,)."
        )
    check_distribution(row[None, :], "predict(prefix)", axis=-1)
    return row


# ---- arithmetic coding ---------------------------------------------------------------------
def _frequencies(rows: np.ndarray) -> np.ndarray:
    """Integer frequencies for distributions ``rows`` (..., V): each ≥ 1 (every character
    stays codable), summing to CODE_TOTAL; the cumulative counts, shape (..., V + 1)."""
    vocab_size = rows.shape[-1]
    freq = np.floor(rows * (CODE_TOTAL - vocab_size)).astype(np.int64) + 1
    top = np.argmax(rows, axis=-1)
    np.put_along_axis(
        freq,
        top[..., None],
        np.take_along_axis(freq, top[..., None], axis=-1)
        + CODE_TOTAL
        - freq.sum(-1, keepdims=True),
        axis=-1,
    )
    cumulative = np.zeros((*rows.shape[:-1], vocab_size + 1), dtype=np.int64)
    np.cumsum(freq, axis=-1, out=cumulative[..., 1:])
    return cumulative


def _check_code_rows(probs) -> np.ndarray:
    rows = as_array(probs, "probs")
    if rows.dtype == bool or rows.dtype.kind not in "iuf":
        raise TypeError(f"probs must be probabilities, got {rows.dtype} values.")
    if rows.ndim != 2 or rows.shape[1] == 0:
        raise ValueError(
            "probs must have shape (N, V): one distribution for each of the N characters to "
            f"code, the model's prediction before it; got shape {rows.shape}."
        )
    rows = rows.astype(np.float64)
    if rows.shape[1] > CODE_TOTAL // 2:
        raise ValueError(f"probs has {rows.shape[1]} classes; the coder takes at most 32768.")
    check_distribution(rows, "probs", axis=-1)
    return rows


def arithmetic_encode(ids, probs) -> bytes:
    r"""Code the characters ``ids`` with a model's predictions ``probs``: the bytes.

    Row ``i`` of ``probs`` is the distribution the model gave *before* character ``i``
    (from the characters before it only, so the decoder can make the same prediction). The
    code is :math:`\sum_i -\log_2 q_i(x_i)` bits long, give or take the rounding of each
    distribution to integer frequencies that sum to :data:`CODE_TOTAL` (at most
    :math:`\log_2 \frac{T}{T - V}` bits more per character, 0.0015 bits for 70 characters),
    plus at most 2 bytes for the whole message. Every character keeps a frequency ≥ 1, so
    even one the model gave probability 0 can be coded, at about 16 bits. The coder is the classic
    integer arithmetic coder of Witten, Neal and Cleary (1987), on a 32-bit interval.

    ``ids`` : shape ``(N,)``; ``probs`` : shape ``(N, V)``, rows summing to 1.

    >>> rows = np.full((8, 2), 0.5)
    >>> code = arithmetic_encode([0, 1, 1, 0, 1, 0, 0, 1], rows)
    >>> len(code), arithmetic_decode(code, 8, lambda prefix: np.array([0.5, 0.5])).tolist()
    (2, [0, 1, 1, 0, 1, 0, 0, 1])
    """
    rows = _check_code_rows(probs)
    arr = _check_ids(ids, rows.shape[1])
    if arr.size != rows.shape[0]:
        raise ValueError(
            f"ids has {arr.size} characters but probs has {rows.shape[0]} rows: one "
            "distribution per character to code."
        )
    cumulative = _frequencies(rows)
    low_of = np.take_along_axis(cumulative, arr[:, None], axis=1)[:, 0].tolist()
    high_of = np.take_along_axis(cumulative, arr[:, None] + 1, axis=1)[:, 0].tolist()
    bits: list[int] = []
    low, high, pending = 0, _TOP - 1, 0

    def emit(bit: int) -> None:
        nonlocal pending
        bits.append(bit)
        bits.extend([1 - bit] * pending)
        pending = 0

    for lo, hi in zip(low_of, high_of, strict=True):
        width = high - low + 1
        high = low + width * hi // CODE_TOTAL - 1
        low = low + width * lo // CODE_TOTAL
        while True:
            if high < _HALF:
                emit(0)
            elif low >= _HALF:
                emit(1)
                low, high = low - _HALF, high - _HALF
            elif low >= _QUARTER and high < _HALF + _QUARTER:
                pending += 1
                low, high = low - _QUARTER, high - _QUARTER
            else:
                break
            low, high = 2 * low, 2 * high + 1
    pending += 1
    emit(0 if low < _QUARTER else 1)
    return np.packbits(np.array(bits, dtype=np.uint8)).tobytes()


def arithmetic_decode(code, n: int, predict: Callable) -> np.ndarray:
    """The ``n`` characters coded in ``code`` by :func:`arithmetic_encode`, with the model
    ``predict``: ``predict(prefix)`` gets the characters decoded so far (int64, shape
    ``(i,)``) and returns the distribution (shape ``(V,)``) the encoder used for character
    ``i``. Returns the class indices, shape ``(n,)``.

    See :func:`arithmetic_encode` for an example.
    """
    if not isinstance(code, (bytes, bytearray)):
        raise TypeError(f"code must be bytes (from arithmetic_encode), got {_given(code)}.")
    n = check_number(n, "n", example=100, low=0, integer=True)
    if not callable(predict):
        raise TypeError(
            "predict must be a function of the characters decoded so far that returns the "
            f"model's distribution for the next one; got {_given(predict)}."
        )
    bits = np.unpackbits(np.frombuffer(bytes(code), dtype=np.uint8)).tolist()
    position = 0

    def next_bit() -> int:
        nonlocal position
        position += 1
        return bits[position - 1] if position <= len(bits) else 0

    value = 0
    for _ in range(32):
        value = 2 * value + next_bit()
    low, high = 0, _TOP - 1
    out = np.zeros(n, dtype=np.int64)
    for i in range(n):
        row = _prediction(predict, out[:i], f" for character {i}")
        cumulative = _frequencies(row).tolist()
        width = high - low + 1
        target = ((value - low + 1) * CODE_TOTAL - 1) // width
        symbol = int(np.searchsorted(cumulative, target, side="right")) - 1
        out[i] = symbol
        high = low + width * cumulative[symbol + 1] // CODE_TOTAL - 1
        low = low + width * cumulative[symbol] // CODE_TOTAL
        while True:
            if high < _HALF:
                pass
            elif low >= _HALF:
                low, high, value = low - _HALF, high - _HALF, value - _HALF
            elif low >= _QUARTER and high < _HALF + _QUARTER:
                low, high, value = low - _QUARTER, high - _QUARTER, value - _QUARTER
            else:
                break
            low, high, value = 2 * low, 2 * high + 1, 2 * value + next_bit()
    return out


# ---- sampling ------------------------------------------------------------------------------
def sample(predict: Callable, start, length: int, *, temperature: float = 1.0, seed=0):
    r"""Generate ``length`` characters after ``start`` from the model ``predict``.

    Before each character the model's distribution :math:`q` is sharpened or flattened by
    the ``temperature`` :math:`T` (lesson 04), :math:`q_T(c) \propto q(c)^{1/T}`: T = 1
    samples the model as it is, T < 1 favours its likeliest characters (T → 0: always the
    likeliest), T > 1 evens them out (T → ∞: uniform). A character of probability 0 stays
    at 0 for every T.

    ``predict(prefix)`` gets the class indices so far (``start`` and what was generated,
    int64) and returns the next character's distribution, shape ``(V,)``. The draws come
    from ``np.random.default_rng(seed)``: the same seed, the same text. Returns the
    ``length`` new class indices, int64.

    >>> table = ngram_probs([[0, 2], [1, 1]])   # after 0 always 1; after 1 either
    >>> sample(lambda prefix: table[prefix[-1]], [0], 6, seed=1).tolist()
    [1, 1, 0, 1, 0, 1]
    """
    if not callable(predict):
        raise TypeError(
            "predict must be a function of the characters so far that returns the model's "
            f"distribution for the next one; got {_given(predict)}."
        )
    prefix = as_array(start, "start")
    if prefix.dtype == bool or prefix.dtype.kind not in "iu" or prefix.ndim != 1:
        raise TypeError(
            f"start must be a sequence of class indices (as encode returns), got {_given(start)}."
        )
    length = check_number(length, "length", example=200, low=0, integer=True)
    temperature = check_number(
        temperature,
        "temperature",
        example=1.0,
        low=0.0,
        low_open=True,
        fix="T = 1 samples the model as it is.",
    )
    rng = np.random.default_rng(seed)
    out = list(prefix.astype(np.int64))
    for _ in range(length):
        q = _prediction(predict, np.array(out, dtype=np.int64))
        if temperature != 1.0:
            with np.errstate(divide="ignore", under="ignore"):
                logq = np.log(q) / temperature
            q = np.where(q > 0, np.exp(logq - logq.max()), 0.0)
        cumulative = np.cumsum(q)
        u = rng.random() * cumulative[-1]
        out.append(int(min(np.searchsorted(cumulative, u, side="right"), q.size - 1)))
    return np.array(out[prefix.size :], dtype=np.int64)
