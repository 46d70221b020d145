"""xentlib.language: counting, smoothing, arithmetic coding and sampling, on the real text.

Each function against a plain-Python reference (loops and dictionaries over the play), the
coder against the bound it promises (the model's cross-entropy in bits, plus the rounding of
each distribution to integers, plus two bytes) and round trips, and every argument against
bad values: a TypeError or ValueError that names it, never NumPy's own error.
"""

from __future__ import annotations

import collections
import hashlib
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from xentlib import datasets
from xentlib import language as L

TEXT = datasets.load_tempest()
VOCAB = L.vocabulary(TEXT)
IDS = L.encode(TEXT, VOCAB)
SPLIT = int(0.9 * IDS.size)
TRAIN, HELD_OUT = IDS[:SPLIT], IDS[SPLIT:]


# ---- the text ------------------------------------------------------------------------------
def test_the_tempest_is_the_shipped_file_with_its_source_and_licence():
    readme = (datasets.TEMPEST_FILE.parent / "README.md").read_text(encoding="utf-8")
    digest = hashlib.sha256(datasets.TEMPEST_FILE.read_bytes()).hexdigest()
    assert digest in readme, "the README's SHA-256 is not the shipped file's"
    assert "public domain" in readme and "CC BY 2.5" in readme and "shakespeare 0.6" in readme
    assert len(TEXT) == 98_439 and len(VOCAB) == 70 and TEXT.count("\n") + 1 == 3_888
    assert TEXT.startswith("THE TEMPEST") and TEXT.endswith("Let your indulgence set me free.")


def test_encode_and_decode_are_inverse_and_vocabulary_is_sorted():
    assert list(VOCAB) == sorted(set(TEXT))
    assert L.decode(IDS, VOCAB) == TEXT
    assert IDS.dtype == np.int64 and [VOCAB[i] for i in IDS[:11]] == list("THE TEMPEST")


# ---- counts and probabilities --------------------------------------------------------------
@pytest.mark.parametrize("context", [0, 1, 2])
def test_ngram_counts_are_the_counts_a_dictionary_gives(context):
    counts = L.ngram_counts(TRAIN, context=context, vocab_size=len(VOCAB))
    assert counts.shape == (len(VOCAB),) * (context + 1) and counts.dtype == np.int64
    assert counts.sum() == TRAIN.size - context
    seen = collections.Counter(
        tuple(TRAIN[i - context : i + 1].tolist()) for i in range(context, TRAIN.size)
    )
    for gram, n in seen.items():
        assert counts[gram] == n
    assert np.count_nonzero(counts) == len(seen)


def test_ngram_probs_are_add_k_and_sum_to_one():
    counts = L.ngram_counts(TRAIN, context=1, vocab_size=len(VOCAB))
    for k in (0.0, 0.01, 1.0):
        probs = L.ngram_probs(counts, k=k)
        np.testing.assert_allclose(probs.sum(axis=-1), 1.0, rtol=0, atol=1e-12)
        a, b = VOCAB.index("t"), VOCAB.index("h")
        assert probs[a, b] == (counts[a, b] + k) / (counts[a].sum() + k * len(VOCAB))
    assert (L.ngram_probs(counts) == 0).any() and (L.ngram_probs(counts, k=0.5) > 0).all()
    counts = L.ngram_counts(TRAIN, context=2, vocab_size=len(VOCAB))
    unseen = counts.sum(axis=-1) == 0  # pairs of characters never seen together ("qz")
    assert unseen.any()
    assert np.all(L.ngram_probs(counts)[unseen] == 1 / len(VOCAB))


def test_next_char_probs_are_the_rows_of_each_context():
    probs = L.ngram_probs(L.ngram_counts(TRAIN, context=2, vocab_size=len(VOCAB)), k=0.1)
    rows = L.next_char_probs(probs, HELD_OUT[:500])
    assert rows.shape == (498, len(VOCAB))
    for i in (0, 1, 250, 497):
        np.testing.assert_array_equal(rows[i], probs[HELD_OUT[i], HELD_OUT[i + 1]])
    unigram = L.ngram_probs(L.ngram_counts(TRAIN, context=0, vocab_size=len(VOCAB)))
    assert np.all(L.next_char_probs(unigram, HELD_OUT[:3]) == unigram)


def test_maximum_likelihood_gives_the_held_out_text_infinite_surprise_and_add_k_does_not():
    counts = L.ngram_counts(TRAIN, context=2, vocab_size=len(VOCAB))
    for k, finite in ((0.0, False), (0.01, True)):
        rows = L.next_char_probs(L.ngram_probs(counts, k=k), HELD_OUT)
        q = rows[np.arange(rows.shape[0]), HELD_OUT[2:]]
        assert bool(np.all(q > 0)) is finite


# ---- arithmetic coding ---------------------------------------------------------------------
def _bound_bits(rows: np.ndarray, ids: np.ndarray) -> float:
    """What arithmetic_encode promises: the ideal code length, plus log2(T / (T − V)) bits per
    character for rounding each distribution to integers, plus two bytes."""
    q = rows[np.arange(ids.size), ids]
    with np.errstate(divide="ignore"):
        ideal = float(-np.log2(np.maximum(q, 1 / L.CODE_TOTAL)).sum())
    per_char = math.log2(L.CODE_TOTAL / (L.CODE_TOTAL - rows.shape[1]))
    return ideal + ids.size * per_char + 16


def _floor_bits(rows: np.ndarray, ids: np.ndarray) -> float:
    """The least the code can be: each character's integer frequency is at most
    q·T + V + 1 (its share, its +1, and the rounding left over if it is the likeliest)."""
    q = rows[np.arange(ids.size), ids]
    return float(-np.log2(np.minimum(q + (rows.shape[1] + 1) / L.CODE_TOTAL, 1.0)).sum()) - 2


def test_the_held_out_text_codes_to_its_cross_entropy_and_decodes_back():
    probs = L.ngram_probs(L.ngram_counts(TRAIN, context=2, vocab_size=len(VOCAB)), k=0.01)
    rows = L.next_char_probs(probs, HELD_OUT)
    symbols = HELD_OUT[2:]
    code = L.arithmetic_encode(symbols, rows)
    ideal = float(-np.log2(rows[np.arange(symbols.size), symbols]).sum())
    assert _floor_bits(rows, symbols) <= 8 * len(code) <= _bound_bits(rows, symbols)
    assert abs(8 * len(code) - ideal) < 0.001 * ideal  # the cross-entropy, to 0.1 %
    first = HELD_OUT[:2]

    def predict(prefix):
        context = np.concatenate([first, prefix])[-2:]
        return probs[context[0], context[1]]

    np.testing.assert_array_equal(L.arithmetic_decode(code, symbols.size, predict), symbols)


@settings(max_examples=60, deadline=None)
@given(
    st.integers(2, 40),
    st.integers(0, 300),
    st.integers(0, 2**32 - 1),
    st.sampled_from([0.05, 1.0, 20.0]),
)
def test_any_model_codes_within_its_bound_and_decodes_back(vocab_size, n, seed, spread):
    """Random distributions (peaked to flat, some with zeros) and characters drawn from them
    or not: the code is never longer than the bound, and decodes to the same characters."""
    rng = np.random.default_rng(seed)
    rows = rng.dirichlet(np.full(vocab_size, spread), size=n)
    rows[rows < 1e-3] = 0.0  # some impossible characters ...
    rows /= rows.sum(axis=1, keepdims=True)
    ids = rng.integers(0, vocab_size, size=n)  # ... that still come
    code = L.arithmetic_encode(ids, rows)
    assert _floor_bits(rows, ids) <= 8 * len(code) <= _bound_bits(rows, ids)
    decoded = L.arithmetic_decode(code, n, lambda prefix: rows[prefix.size])
    np.testing.assert_array_equal(decoded, ids)


def test_a_sure_model_codes_a_long_text_in_a_few_bytes():
    rows = np.tile([1.0, 0.0], (10_000, 1))
    code = L.arithmetic_encode(np.zeros(10_000, dtype=int), rows)
    assert len(code) <= 2 + math.ceil(10_000 * math.log2(L.CODE_TOTAL / (L.CODE_TOTAL - 2)) / 8)


# ---- sampling ------------------------------------------------------------------------------
def test_sampling_follows_the_model_and_the_seed():
    q = np.array([0.5, 0.3, 0.2, 0.0])
    draws = L.sample(lambda prefix: q, [0], 20_000, seed=3)
    share = np.bincount(draws, minlength=4) / draws.size
    np.testing.assert_allclose(share, q, atol=0.01)  # 4.5 standard errors at 20 000 draws
    assert share[3] == 0.0, "a character of probability 0 was drawn"
    np.testing.assert_array_equal(draws, L.sample(lambda prefix: q, [0], 20_000, seed=3))


def test_temperature_sharpens_and_flattens():
    q = np.array([0.5, 0.3, 0.2, 0.0])
    cold = L.sample(lambda prefix: q, [0], 2_000, temperature=0.05, seed=0)
    hot = L.sample(lambda prefix: q, [0], 20_000, temperature=50.0, seed=0)
    assert np.all(cold == 0)  # q_T ∝ q**20: the others have 1e-5 and 1e-9
    share = np.bincount(hot, minlength=4) / hot.size
    np.testing.assert_allclose(share[:3], 1 / 3, atol=0.02)
    assert share[3] == 0.0


def test_a_longer_context_writes_more_words_of_the_play():
    """Sampled text: of the 'words' a unigram model writes, few are the play's; a bigram's
    more; a trigram's more still."""
    words = {w.strip(".,;:!?'-[]") for w in TEXT.split()}
    start = L.encode("PROSPERO.\n", VOCAB)
    shares = []
    for context in (0, 1, 2):
        probs = L.ngram_probs(L.ngram_counts(IDS, context=context, vocab_size=len(VOCAB)))

        def predict(prefix, table=probs, context=context):
            return table[tuple(prefix[len(prefix) - context :])]

        made = L.decode(L.sample(predict, start, 3000, seed=0), VOCAB).split()
        shares.append(np.mean([w.strip(".,;:!?'-[]") in words for w in made]))
    assert shares[0] < shares[1] < shares[2], shares


# ---- bad input: a clear error naming the argument ---------------------------------------
P2 = L.ngram_probs([[0, 2], [1, 1]])
BAD_CALLS = [
    ("text", lambda: L.vocabulary(None), TypeError),
    ("text", lambda: L.vocabulary(""), ValueError),
    ("vocab", lambda: L.encode("ab", ["a", "b"]), TypeError),
    ("vocab", lambda: L.encode("ab", "aab"), ValueError),
    ("text", lambda: L.encode("abc", "ab"), ValueError),
    ("text", lambda: L.encode(b"ab", "ab"), TypeError),
    ("ids", lambda: L.decode([0, 2], "ab"), ValueError),
    ("ids", lambda: L.decode([0.5], "ab"), TypeError),
    ("ids", lambda: L.decode([[0, 1]], "ab"), ValueError),
    ("ids", lambda: L.decode("01", "ab"), TypeError),
    ("ids", lambda: L.decode([True], "ab"), TypeError),
    ("context", lambda: L.ngram_counts([0, 1], context=-1, vocab_size=2), ValueError),
    ("context", lambda: L.ngram_counts([0, 1], context=1.5, vocab_size=2), TypeError),
    ("context", lambda: L.ngram_counts(IDS, context=3, vocab_size=70), ValueError),
    ("ids", lambda: L.ngram_counts([0, 1], context=2, vocab_size=2), ValueError),
    ("vocab_size", lambda: L.ngram_counts([0, 1], context=0, vocab_size=0), ValueError),
    ("vocab_size", lambda: L.ngram_counts([0, 1], context=0, vocab_size=10**400), ValueError),
    ("counts", lambda: L.ngram_probs([[1, 2, 3]]), ValueError),
    ("counts", lambda: L.ngram_probs([0.5, 1]), ValueError),
    ("counts", lambda: L.ngram_probs([-1, 1]), ValueError),
    ("counts", lambda: L.ngram_probs([np.nan, 1]), ValueError),
    ("counts", lambda: L.ngram_probs("12"), TypeError),
    ("k", lambda: L.ngram_probs([1, 1], k=-1), ValueError),
    ("k", lambda: L.ngram_probs([1, 1], k=np.nan), ValueError),
    ("k", lambda: L.ngram_probs([1, 1], k="1"), TypeError),
    ("probs", lambda: L.next_char_probs([[0.5, 0.6], [0.5, 0.5]], [0, 1]), ValueError),
    ("probs", lambda: L.next_char_probs([[1, 0], [0, 1]], [0, 1]), ValueError),
    ("ids", lambda: L.next_char_probs(P2, [0]), ValueError),
    ("ids", lambda: L.next_char_probs(P2, [0, 5]), ValueError),
    ("probs", lambda: L.arithmetic_encode([0], [[0.5, 0.6]]), ValueError),
    ("probs", lambda: L.arithmetic_encode([0], [0.5, 0.5]), ValueError),
    ("probs", lambda: L.arithmetic_encode([0], [[np.nan, 1.0]]), ValueError),
    ("ids", lambda: L.arithmetic_encode([0, 1], [[0.5, 0.5]]), ValueError),
    ("ids", lambda: L.arithmetic_encode([2], [[0.5, 0.5]]), ValueError),
    ("code", lambda: L.arithmetic_decode("abc", 2, lambda p: P2[0]), TypeError),
    ("n", lambda: L.arithmetic_decode(b"\0", -1, lambda p: P2[0]), ValueError),
    ("predict", lambda: L.arithmetic_decode(b"\0", 2, None), TypeError),
    ("predict", lambda: L.arithmetic_decode(b"\0", 2, lambda p: [0.5, 0.6]), ValueError),
    ("predict", lambda: L.arithmetic_decode(b"\0", 2, lambda p: P2), ValueError),
    ("predict", lambda: L.sample(None, [0], 3), TypeError),
    ("predict", lambda: L.sample(lambda p: [2.0, -1.0], [0], 3), ValueError),
    ("start", lambda: L.sample(lambda p: P2[0], "a", 3), TypeError),
    ("length", lambda: L.sample(lambda p: P2[0], [0], -3), ValueError),
    ("temperature", lambda: L.sample(lambda p: P2[0], [0], 3, temperature=0), ValueError),
    ("temperature", lambda: L.sample(lambda p: P2[0], [0], 3, temperature=np.inf), ValueError),
    # masked arrays are refused, never unmasked (issue 21: the hidden values were used)
    ("ids", lambda: L.decode(np.ma.masked_array([0, 1], mask=[0, 1]), "ab"), TypeError),
    (
        "ids",
        lambda: L.ngram_counts(np.ma.masked_array([0, 1], [0, 1]), context=0, vocab_size=2),
        TypeError,
    ),
    (
        "counts",
        lambda: L.ngram_probs(np.ma.masked_array([[1, 2], [3, 4]], [[0, 1], [0, 0]])),
        TypeError,
    ),
    ("k", lambda: L.ngram_probs([1, 1], k=np.ma.masked), TypeError),
    (
        "probs",
        lambda: L.next_char_probs(np.ma.masked_array(P2, [[0, 1], [0, 0]]), [0, 1]),
        TypeError,
    ),
    ("ids", lambda: L.next_char_probs(P2, np.ma.masked_array([0, 1], [0, 1])), TypeError),
    (
        "probs",
        lambda: L.arithmetic_encode([0], np.ma.masked_array([[0.5, 0.5]], [[0, 1]])),
        TypeError,
    ),
    ("ids", lambda: L.arithmetic_encode(np.ma.masked_array([0], [1]), [[0.5, 0.5]]), TypeError),
    ("start", lambda: L.sample(lambda p: P2[0], np.ma.masked_array([0], [1]), 3), TypeError),
    ("predict", lambda: L.sample(lambda p: np.ma.masked_array(P2[0], [0, 1]), [0], 3), TypeError),
]


@pytest.mark.parametrize(
    "name, call, error", BAD_CALLS, ids=[f"{c[0]}-{i}" for i, c in enumerate(BAD_CALLS)]
)
def test_bad_input_gets_an_error_that_names_the_argument(name, call, error):
    with pytest.raises(error) as raised:
        call()
    assert type(raised.value) is error
    assert str(raised.value).startswith(name) or f" {name}" in str(raised.value), raised.value
