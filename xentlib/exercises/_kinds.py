"""How an answer is read and compared, one class per kind of exercise.

:class:`~xentlib.exercises.Exercise` delegates to its kind: a ``"value"`` (numbers and
arrays, compared to a number of significant digits), a ``"choice"`` (a letter, compared as
text, never evaluated) or a ``"function"`` (called on the exercise's test inputs and
compared output by output). Each kind says how to *prepare* an answer (or why it cannot be
compared), whether it *matches* a target (the reference or a misconception), and what to
say about a *near miss*.

Everything a learner hands over may misbehave: its ``__array__`` may raise, its function
may call ``exit()``. Those errors are caught here, where the learner's code runs, and
explained (``LEARNER_ERRORS``: everything but KeyboardInterrupt, so a learner can still stop
a function that never returns). An error anywhere else is a bug of the checker, which
``check()`` reports or, in strict mode, raises.
"""

from __future__ import annotations

import contextlib
import inspect
import io
import math
import re
from typing import NamedTuple

import numpy as np

from . import _catalogue as catalogue
from . import _detectors as detectors

CORRECT, INCORRECT, NOT_ATTEMPTED = "correct", "incorrect", "not attempted"
# What the learner's own code (a function, an object's __array__) may raise: anything but
# KeyboardInterrupt (and the interpreter's GeneratorExit), including exit()'s SystemExit.
LEARNER_ERRORS = (Exception, SystemExit)


class Verdict(NamedTuple):
    """A status (``CORRECT``, ``INCORRECT``, ``NOT_ATTEMPTED``) and the feedback."""

    status: str
    message: str


def _is_not_attempted(answer) -> bool:
    return answer is None or answer is Ellipsis


def _describe(value) -> str:
    """A short description of what the learner gave, which never fails."""
    try:
        if isinstance(value, str):
            return f"the text {value[:40]!r}"
        if callable(value):
            return f"the function {getattr(value, '__name__', 'function')}"
        arr = np.asarray(value)
        if arr.dtype == object:
            return f"a {type(value).__name__}"
        if arr.ndim == 0:
            return _fmt_number(arr.item())
        return f"an array of shape {arr.shape}"
    except LEARNER_ERRORS:  # describing must never fail
        return f"a {type(value).__name__}"


def _fmt_number(x) -> str:
    if isinstance(x, (bool, np.bool_)):
        return str(bool(x))
    if isinstance(x, (int, np.integer)):
        return str(int(x)) if abs(int(x)) < 10**15 else f"{float(x):.6g}"
    if isinstance(x, (float, np.floating)) and math.isfinite(x):
        return f"{float(x):.6g}"
    return str(x)


class _Mismatch(Exception):
    """Raised by a comparison when the learner's answer has the wrong type or shape."""


def _to_array(value, *, what: str) -> np.ndarray:
    if isinstance(value, (str, bytes)):
        raise _Mismatch(
            f"{what} should be a number or array, but you gave {_describe(value)}. "
            "Write the value itself (for example 0.693), not text; answers are never evaluated as code."
        )
    if callable(value):
        raise _Mismatch(
            f"{what} should be a number or array, but you gave {_describe(value)}. "
            "Call your function and pass its result."
        )
    if isinstance(value, np.ma.MaskedArray):
        raise _Mismatch(
            f"{what} is a masked array (numpy.ma): its masked entries would be compared as if "
            "they were numbers. Give plain numbers: answer.filled(value), or answer.compressed()."
        )
    try:
        if np.iscomplexobj(value) and not np.any(np.imag(value)):
            value = np.real(value)  # cmath.log(4) is (1.386+0j): a real number, typed complex
        if np.iscomplexobj(value):  # np.complex128(0.2 + 0.5j) → float drops 0.5j, with a warning
            raise _Mismatch(
                f"{what} is a complex number ({_describe(value)}): no answer here has an "
                "imaginary part. A square root or log of a negative number? Check the computation."
            )
        arr = np.asarray(value, dtype=float)
    except OverflowError:
        raise _Mismatch(
            f"{what} is a number too large for a float (more than 1.8e308): no answer here is "
            "that big. Check the computation."
        ) from None
    except LEARNER_ERRORS:  # the learner's object: its __array__ or __float__ may do anything
        if isinstance(value, tuple) and len(value) == 2 and np.ndim(value[0]) == 0:
            raise _Mismatch(
                f"{what} is a pair, a number and an array (a (loss, gradient) pair, as "
                "cross_entropy_with_grad returns?): return only what the question asks for, "
                "for example loss, _ = …"
            ) from None
        raise _Mismatch(
            f"{what} has rows of different lengths: give every row the same number of entries."
            if _ragged(value)
            else f"{what} should be a number or array, but you gave {_describe(value)}."
        ) from None
    return arr


def _ragged(value) -> bool:
    try:
        return isinstance(value, (list, tuple)) and len({np.shape(v) for v in value}) > 1
    except LEARNER_ERRORS:
        return False


def _is_count(answer) -> bool:
    """A whole number given as an int (a parameter count, a class index): exact, not rounded."""
    return isinstance(answer, (int, np.integer)) and not isinstance(answer, bool)


def _same_shape(a: np.ndarray, b: np.ndarray, *, squeeze: bool = False):
    """``a`` and ``b`` with the same shape, or a _Mismatch. With ``squeeze`` (value answers)
    axes of length 1 do not count: [[-0.335, 0.245, 0.09]] is the row [-0.335, 0.245, 0.09]."""
    if a.shape != b.shape:
        if a.size == b.size == 1:
            return a.reshape(()), b.reshape(())
        if squeeze and np.squeeze(a).shape == np.squeeze(b).shape:
            return np.squeeze(a).reshape(b.shape), b
        raise _Mismatch(
            f"Your answer has shape {a.shape}, but the expected answer has shape {b.shape}."
        )
    return a, b


def _close(a, b, rtol: float, atol: float) -> bool:
    """True when ``a`` and ``b`` are numerically the same (NaN and inf match themselves)."""
    a, b = _same_shape(_to_array(a, what="Your function's output"), np.asarray(b, dtype=float))
    with np.errstate(invalid="ignore", over="ignore"):
        return bool(np.allclose(a, b, rtol=rtol, atol=atol, equal_nan=True))


def _normalise_choice(text) -> str:
    """'(b)', 'B)', ' b ', 'b.', "'b'" and 'b) flatter' all mean the option b."""
    words = " ".join(str.lower(str.strip(text)).split())  # str's own methods: a subclass's
    # overrides (a learner's object) are not called
    letter = re.match(r"^[\s(\[\"']*([a-z])(?:[\s)\]\"'.,:;]+.*|)$", words)
    return letter.group(1) if letter else words


# How a letter answer is read: words in front of the letter that change nothing ("option b",
# "the answer is (b)"), one letter as a token ("(b)", "B)", "b.", "'b'"), and what joins two
# letters into a hedge ("b or c", "b, c", "b/c", "either b or c", "bc").
_LEAD_WORDS = re.compile(
    r"^(?:i think|i'd say|i would say|i'm sure|i am sure|maybe|probably|perhaps|definitely|"
    r"(?:the )?correct answer(?: is)?|ans|"
    r"certainly|surely|clearly|my (?:final )?answer is|the answer is|final answer|"
    r"answer is|answers?|options?|choices?|letter|either|both|it's|it is|it must be|"
    r"i(?:'d| would| will|'ll)? (?:go with|pick|choose|take|vote for)|"
    r"i'?m (?:fairly |pretty |quite |very )?(?:sure|confident)(?: it'?s| it is| that)?)"
    r"(?![a-z])[\s:=]*"
)
_LETTER = re.compile(r"[(\[\"']*([a-z])[)\]\"'.]*(?![a-z0-9(])")  # p(heads) is no option
_RUN_OF_LETTERS = re.compile(r"[(\[\"']*([a-z]{2,6})[)\]\"'.]*")
_JOIN = re.compile(
    r"\s*,?\s*(?:(?:and/or|or|and|nor)(?![a-z])|&|\+|/|\||=|~|\?+)\s*"
)  # b or c, b/c, b?c
_LIST = re.compile(r"\s*[,;]\s*|\s+")  # b, c  or  b c: a hedge only if nothing follows
_STOP = re.compile(r"\s*(?:$|[,;:.!?)])")
# Another option named after the answer, as a second thought: "b (or a)", "b, maybe a",
# "b?? or a", "b, though a is possible", "b - or a". An article ("b, a flatter
# distribution") or a reason ("b, as (a) would sharpen") is not one: it follows no such word.
_SECOND_THOUGHT = re.compile(
    r"(?:\b(?:or(?:\s+is\s+it)?|maybe|perhaps|possibly|probably|though|either|unless|otherwise|"
    r"but|also|then|and)\b[\s,:;.!?-]*|(?<=[)\]])\s*)"
    r"[(\[\"']*([a-z])[)\]\"'.]*(?![a-z0-9])"
)
# "a" followed by a word is the article ("but a larger T flattens it"), not option (a).
_ARTICLE = re.compile(r"\s+(?!is\b|also\b|too\b|as well\b|maybe\b|perhaps\b|possibly\b)[a-z]")


# "a" followed by a word that starts with a consonant and is no join, verb or reason: the
# article ("a flatter one", "a bug"), not option (a).
_ARTICLE_WORD = re.compile(
    r"\s+(?!(?:nor|but|then|because|since|so|for|maybe|perhaps|possibly|probably|seems|"
    r"makes|gives|wins|fits|holds|works|looks|was|would|will|should|must|can|could|"
    r"correct|right|true)\b)"
    r"[b-df-hj-np-tv-z][a-z-]+"  # a consonant: "a fair coin", never "a or b" or "a is"
)
# Letters ruled out ("b is wrong", "a and b are false"), and a later letter that replaces the
# first ("b, no wait, c", "b. Actually c", "a is reverse KL, so b").
_DENIAL_WORDS = (
    r"(?:wrong|incorrect|false|untrue|invalid|impossible|unlikely|mistaken|absurd|nonsense|"
    r"flawed|misleading|(?:ruled\s+)?out|bogus|silly|dubious|crap|backwards|off|"
    r"(?:a|the)\s+(?:lie|myth|misconception|distractor|red\s+herring|trap)|"
    r"the\s+wrong\s+(?:one|answer|option|choice)|"
    r"my\s+first\s+(?:guess|thought|instinct|idea)|at\s+first|"
    r"not\s+(?:right|correct|true|it|the\s+(?:right\s+)?answer|the\s+case))"
)
_ADVERBS = (
    r"(?:(?:definitely|clearly|obviously|certainly|surely|totally|completely|plainly|simply|"
    r"just|really|very|quite|also|of\s+course)\s+)*"
)
_RULED_OUT = re.compile(
    r"(?:\bi\s+don'?t\s+think\s+(?:it'?s|it\s+is)\s+)?"
    r"(?<![a-z0-9])[(\[]?([a-j])[)\]]?((?:\s*(?:,|and|&|/)\s*[(\[]?[a-j][)\]]?)*)"
    r"(?:(?<=\bi don't think it's [a-j])|(?<=\bi dont think its [a-j])|"
    r"(?:\s*[:=(,.?!\-–—]+\s*|\s+|(?='))(?:"  # "a is wrong", "a: wrong", "(a) wrong", "a's"
    r"(?:(?:is|are|'s|was|were|seems?|would\s+be|will\s+be|must\s+be)\s+)?"
    + _ADVERBS
    + _DENIAL_WORDS
    + r"|(?:isn'?t|aren'?t|ain'?t|wasn'?t)\s+(?:right|correct|true|it|the\s+answer)"
    r"|(?:doesn'?t|does\s+not|don'?t|do\s+not)\s+(?:fit|apply|work|hold)"
    r"|makes?\s+no\s+sense"
    r"|(?:can'?t|cannot|can\s+not)\s+(?:be(?:\s+(?:it|right|correct|true|the\s+answer))?|happen)))"
    r"(?![a-z])"
)
_RULED_OUT_BEFORE = re.compile(
    r"\b(?:not|never|no|neither|nor|rather\s+than|instead\s+of|(?:would\s+not|wouldn'?t)\s+say|"
    r"(?:anything|everything|all|any(?:one|thing)?)\s+(?:but|except)|except(?:\s+for)?|"
    r"other\s+than|besides|unlike|without|(?:i'?d\s+|i\s+would\s+|i\s+)?rul(?:e|ing)\s+out|"
    r"exclud(?:e|ing)|eliminat(?:e|ing)|(?:i\s+)?doubt|hardly|(?:wrong|false|incorrect)\s*:|"
    r"(?:i\s+)?(?:wouldn'?t|would\s+not|won'?t|will\s+not|don'?t|do\s+not|never)\s+"
    r"(?:pick|choose|take|go\s+with|select|say)|(?:i\s+)?(?:don'?t|do\s+not)\s+think|"
    r"no\s+to|(?:i\s+)?reject|(?:i\s+)?disagree\s+with)\s+"
    r"(?:option\s+)?[(\[]?([a-j])[)\]]?(?![a-z0-9(])"
)
# A letter standing alone at the end, after a reason ("flatter, b", "Ans: b").
_LAST_LETTER = re.compile(r"(?:^|[\s,:;=-])[(\[\"']*([a-j])[)\]\"'.!]*$")
_CHANGE_OF_MIND = re.compile(
    r"\b(?:no,?\s+wait|wait|actually|no|nah|nope|i\s+mean|scratch\s+that|correction|so|therefore|"
    r"then\s+again|on\s+second\s+thoughts?|changed\s+my\s+mind|"
    r"hence|thus|but\s+it'?s|but\s+it\s+is)\b[\s,:;.!-]*[(\[\"']*([a-j])[)\]\"'.]*(?![a-z0-9])"
)

# A letter the answer itself denies: "b (wrong)", "b, no", "b: false", "b ✗", "b, or not".
_SELF_DENIED = re.compile(
    r"^[(\[\"']*[a-j][)\]\"'.]*(?:[\s,.:;!?\-–—>=(]+|\bor\b|\bmaybe\b)*"
    + _ADVERBS
    + r"(?:wrong|incorrect|false|nope|nah|no(?:\s+way)?|not(?:\s+it)?|never|or\s+is\s+it|"
    r"✗|✘|×|❌|👎)[\s.!?)]*$"
)
# Words that join or weigh letters without saying anything about them: an answer made of
# two or more option letters and only these ("b -> a", "b vs a", "b, hmm, a", "b a c",
# "b but could be a") names more than one option.
_CONNECTIVES = frozenset(
    "or and nor vs versus then again x hmm hm um but could be unless it is either both "
    "maybe perhaps possibly probably plus to".split()
)


def read_choice(text: str, options: str) -> str | list[str] | None:
    """The option a letter answer names: a letter, a list of two or more letters (a hedge
    between options), or None when the text names no option at all.

    >>> read_choice("Option B.", "abcd"), read_choice("b) flatter", "abc")
    ('b', 'b')
    >>> read_choice("b or c", "abcd"), read_choice("either a or d", "abcd"), read_choice("bc", "abc")
    (['b', 'c'], ['a', 'd'], ['b', 'c'])
    >>> read_choice("b, a flatter distribution", "abc"), read_choice("flatter", "abc")
    ('b', None)
    >>> read_choice("b (or a)", "abc"), read_choice("b, though a is possible", "abc")
    (['b', 'a'], ['b', 'a'])
    """
    words = " ".join(str.lower(str.strip(text)).replace("’", "'").split())
    words = re.sub(r"[*`]+", "", words)  # markdown: **b**, `b`
    words = re.sub(r"(?<![a-z0-9])_+([a-z])_+(?![a-z0-9])", r"\1", words)  # _b_
    words = re.sub(r"(?<![a-z0-9])!\s*([a-j])(?![a-z0-9])", r"not \1", words)  # !a
    words = re.sub(  # "not b or c", "neither b nor c": both ruled out
        r"\b(not|neither)\s+[(\[]?([a-j])[)\]]?\s+(?:or|nor)\s+[(\[]?([a-j])[)\]]?(?![a-z0-9])",
        r"not \2 not \3",
        words,
    )
    words = re.sub(  # "prefer d to a": d, not a
        r"\bprefer\s+[(\[]?([a-j])[)\]]?\s+(?:to|over)\s+[(\[]?([a-j])[)\]]?(?![a-z0-9])",
        r"\1, not \2",
        words,
    )
    ruled_out = set()

    def _rule_out(match) -> str:
        """Rule out what the match denies; keep a listed letter a singular verb leaves out
        ("a, b is wrong": b is wrong, a stays)."""
        listed = [match[1], *re.findall(r"[a-j]", re.sub(r"and", "", match[2]))]
        plural = re.search(r"\b(?:are|were|aren'?t|don'?t|do\s+not)\b", match[0])
        denied = listed if plural or len(listed) == 1 else listed[-1:]
        ruled_out.update(denied)
        return " " + " ".join(letter for letter in listed if letter not in denied) + " "

    words = _RULED_OUT.sub(_rule_out, words).strip(" ,;:.!?-")
    for match in _RULED_OUT_BEFORE.finditer(words):
        if not (match[1] == "a" and _ARTICLE.match(words, match.end(1))):
            ruled_out.add(match[1])
    words = " ".join(
        _RULED_OUT_BEFORE.sub(
            lambda m: m[0] if m[1] == "a" and _ARTICLE.match(words, m.end(1)) else " ", words
        ).split()
    ).strip(" ,;:.!?-")
    later = [
        m[1]
        for m in _CHANGE_OF_MIND.finditer(words)
        if not (m[1] == "a" and _ARTICLE.match(words, m.end(1)))
    ]
    if later and later[-1] not in ruled_out:
        return later[-1]
    if _SELF_DENIED.match(words):
        return None
    tokens = re.findall(r"[a-z]+", words)
    letters = [t for t in tokens if len(t) == 1 and t in options]
    if len(set(letters)) > 1 and all(t in _CONNECTIVES for t in tokens if t not in letters):
        return [t for t in dict.fromkeys(letters) if t not in ruled_out] or None
    read = _read_letters(words, options)
    if isinstance(read, list):
        read = [letter for letter in read if letter not in ruled_out] or None
        read = read[0] if read and len(read) == 1 else read
    return None if isinstance(read, str) and read in ruled_out else read


# What may stand before a letter that is marked: words that commit to it ("option b", "my
# answer is b", "I choose b"), never words of doubt ("maybe b", "b?").
_COMMITTED_LEAD = re.compile(
    r"^(?:(?:(?:my|the|final|correct)\s+)*(?:answer|ans|option|choice|letter)(?:\s+is)?|"
    r"(?:definitely|certainly|surely|clearly)|(?:it\s+)?must\s+be|"
    r"i(?:'d|\s+would|'ll|\s+will)?\s+(?:choose|pick|select|take|go\s+with|say|vote\s+for)|"
    r"i'?m\s+(?:(?:fairly|pretty|quite|very)\s+)?(?:sure|certain|confident)(?:\s+(?:that|it'?s|it\s+is))?|"
    r"i\s+am\s+(?:(?:fairly|pretty|quite|very)\s+)?(?:sure|certain|confident)(?:\s+(?:that|it'?s|it\s+is))?|"
    r"it'?s|it\s+is)"
    r"(?![a-z])[\s:=-]*"
)
# The letter itself: b, (b), b), [b], 'b' or "b", then at most one of . ! : and, after a space
# (or a bracket), the start of its option's words. Brackets and quotes come in pairs.
_LETTER_FORM = re.compile(
    r"^(?:\((?P<p>[a-j])\)|\[(?P<s>[a-j])\]|(?P<q>[\"'])(?P<qq>[a-j])(?P=q)|(?P<b>[a-j])\)?)"
    r"[.!:]?(?:(?<=[)\]])\s*|\s+)(?P<rest>.*)$"
)


def letter_alone(text: str, options: dict[str, str] | None = None) -> str | None:
    """The letter of an answer that says nothing but the letter, or None.

    A letter may follow words that commit to it ("option b", "the answer is b") and be
    followed by the start of its option's own words ("b) flatter"); anything else around
    it (a doubt, a second option, a denial, a reason) could change what it means, so such an
    answer is not marked however it reads. ``options`` maps each letter to its option's
    words (:func:`option_texts`).

    >>> letter_alone("(B)."), letter_alone("Option b"), letter_alone("b?"), letter_alone("b as well as a")
    ('b', 'b', None, None)
    >>> letter_alone("b) flatter", {"b": "flatter, less sure"}), letter_alone("b) sharper", {"b": "flatter"})
    ('b', None)
    """
    words = " ".join(str.lower(str.strip(str(text))).replace("’", "'").split())
    words = re.sub(r"[*`]+", "", words)
    words = re.sub(r"(?<![a-z0-9])_+([a-z])_+(?![a-z0-9])", r"\1", words)
    if re.search(r"\?|？|‽|…|\.\.", words):  # a question or a trailing off is a doubt
        return None
    words = _COMMITTED_LEAD.sub("", words, count=1)
    found = _LETTER_FORM.match(words + " ")
    if not found:
        return None
    letter = found["p"] or found["s"] or found["qq"] or found["b"]
    rest = found["rest"].strip()
    if not rest:
        return letter
    option = (options or {}).get(letter, "")
    return letter if option and _opens(option, rest) else None


def _opens(option: str, rest: str) -> bool:
    """``rest`` is the start of ``option``'s own text, word for word and sign for sign ("b)
    flatter" for "(b) flatter, …"), so that no '?', 'not' or 'but' can slip in."""

    def words(text: str) -> list[str]:
        return re.findall(r"[^\s]+", " ".join(str.lower(text).replace("’", "'").split()))

    said, own = words(rest.rstrip(" .")), words(option)
    if not said or len(said) > len(own) or said[:-1] != own[: len(said) - 1]:
        return False
    last, theirs = said[-1], own[len(said) - 1]
    return last == theirs or last == theirs.rstrip(",;:.")


def _letter_after_a_reason(words: str) -> str | None:
    """A reason first, the letter last ("flatter, b", "it underflows, a"), or one bracketed
    letter anywhere ("fair coin (b) it is")."""
    last = _LAST_LETTER.search(words)
    if last:
        return last[1]
    bracketed = set(re.findall(r"\(([a-j])\)", words))
    return bracketed.pop() if len(bracketed) == 1 else None


def _read_letters(words: str, options: str) -> str | list[str] | None:
    """:func:`read_choice` once ruled-out letters and changes of mind are dealt with."""
    while (lead := _LEAD_WORDS.match(words)) and lead.end() > 0:
        words = words[lead.end() :]
    first = _LETTER.match(words)
    if first is not None and first[1] == "i" and "i" not in options:
        first = None  # the pronoun: "i thought b"
    if first is not None and first[1] == "a" and _ARTICLE_WORD.match(words, first.end(1)):
        # "a flatter one, b", "a fair coin (b)", "a bug": the article, then the letter meant
        # if there is one. English writes "an" before a vowel, so "a underflows" is option (a).
        return _letter_after_a_reason(words[first.end() :])
    if first is None:
        run = _RUN_OF_LETTERS.fullmatch(words)
        if run and len(set(run[1])) == len(run[1]) and set(run[1]) <= set(options):
            return list(run[1])
        return _letter_after_a_reason(words)
    letters, end = [first[1]], first.end()
    while True:
        join = _JOIN.match(words, end)
        if join and (nxt := _LETTER.match(words, join.end())):
            letters.append(nxt[1])
            end = nxt.end()
            continue
        listed = _LIST.match(words, end)
        nxt = _LETTER.match(words, listed.end()) if listed and listed.end() > end else None
        if nxt and (_STOP.match(words, nxt.end()) or _joined(words, nxt.end())):
            letters.append(nxt[1])
            end = nxt.end()
            continue
        break
    distinct = list(dict.fromkeys(letters))
    if len(distinct) == 1:  # one letter, unless another option follows as a second thought
        for later in _SECOND_THOUGHT.finditer(words, end):
            other = later[1]
            if other == "a" and _ARTICLE.match(words, later.end(1) + 0):
                continue
            if other in options and other != distinct[0]:
                return [distinct[0], other]
    return distinct[0] if len(distinct) == 1 else distinct


def option_texts(prompt: str, *, raw: bool = False) -> dict[str, str]:
    """Each option's words in a choice prompt ('(a) text. (b) text.'), lower-case, letters and
    digits only (or, with ``raw``, as written); the last option without the prompt's closing
    "Answer 'a', 'b' or 'c'"."""
    parts = re.split(r"(?<![\w)])\(([a-j])\)(?=\s)", prompt)
    clean = (lambda text: " ".join(text.split())) if raw else _plain_words
    texts = {letter: clean(text) for letter, text in zip(parts[1::2], parts[2::2], strict=True)}
    if texts:
        last = max(texts)
        closing = r"\s*\banswer\b( '?[a-j]\b'?,?| or| and)+.*$"
        texts[last] = re.sub(closing, "", texts[last], flags=re.I if raw else 0)
    return texts


def _plain_words(text: str) -> str:
    """Lower-case words, without punctuation or possessives ("difference's" → "difference")."""
    return " ".join(re.findall(r"[a-z0-9]+", re.sub(r"['’]s\b", "", str.lower(str(text)))))


def _words_of_another_option(prompt: str, answer: str, letter: str) -> str | None:
    """The option whose words a letter answer copies after its letter, when that is another
    option than the letter ('b) more peaked', where (a) is 'more peaked')."""
    rest = _plain_words(str.lower(str.strip(answer)))
    rest = rest.split(" ", 1)[1] if " " in rest else ""
    rest = re.sub(r"^(?:option|answer|is|the answer is)\s+", "", rest)
    if re.match(r"(?:because|since|as|for|given)\b", rest):
        return None  # a reason may name another option ("a since b would be flatter")
    texts = option_texts(prompt)
    own = texts.get(letter, "")
    if len(rest) < 3 or (own and (_has_phrase(own, rest) or _has_phrase(rest, own))):
        return None  # nothing after the letter, or the letter's own words
    found = []
    said = _content_words(rest)
    for other, text in texts.items():
        if other == letter or not text or re.search(rf"\b(?:not|than|nor|no)( \w+)? {text}", rest):
            continue  # "b, not more peaked": another option named to be ruled out
        if len(said) >= 2 and said <= _content_words(text) and not said <= _content_words(own):
            found.append(other)  # "a too large learning rate": (b)'s words in another order
            continue
        if (
            (len(text) >= 4 and _has_phrase(rest, text))
            or (len(rest) >= 12 and rest[:40] in text)
            or (len(rest) >= 5 and _has_phrase(text, rest))  # "b) one bump": part of (a)
        ):
            found.append(other)
    return found[0] if len(found) == 1 else None  # words of several options say nothing


def _content_words(text: str) -> set[str]:
    """The words of ``text`` that say something: no single letters, articles or joins."""
    small = {"a", "an", "the", "is", "are", "it", "its", "of", "to", "and", "or", "so"}
    return {w for w in text.split() if len(w) > 1 and w not in small}


def _has_phrase(text: str, phrase: str) -> bool:
    """``phrase`` occurs in ``text`` as whole words."""
    return re.search(rf"(?<![a-z0-9]){re.escape(phrase)}(?![a-z0-9])", text) is not None


def _joined(words: str, end: int) -> bool:
    """Another letter follows at ``end``, joined by 'or', 'and', '/', …"""
    join = _JOIN.match(words, end)
    return bool(join and _LETTER.match(words, join.end()))


def _options(q) -> str:
    """The option letters of a choice exercise, from the '(a)', '(b)', … of its prompt (a
    letter in brackets after a word, as in 'LSE(z)', is no option)."""
    listed = set(re.findall(r"(?<![\w)])\(([a-z])\)(?=\s)", q.prompt))
    letters = "abcdefghij"
    count = next((i for i, letter in enumerate(letters) if letter not in listed), len(letters))
    return letters[:count] or "abcd"


# NumPy errors a learner's function raises, and what they usually mean. The error itself is
# always reported first, the same way in every exercise; the advice follows when it fits.
_NUMPY_ADVICE = (
    (
        re.compile(r"matmul: .*\(size (\d+) is different from (\d+)\)"),
        "A matrix product failed: the inner sizes {0} and {1} do not match. In A @ B the "
        "number of columns of A must equal the number of rows of B; print the .shape of both. "
        "Is one of them meant transposed (.T)? And where two arrays have the same shape, "
        "combine them element by element with *, not @.",
    ),
    (
        re.compile(
            r"operands could not be broadcast together with shapes (\([\d, ]*\)) ?(\([\d, ]*\))"
        ),
        "Arrays of shapes {0} and {1} cannot be combined element by element. To combine a "
        "per-row value with a matrix, keep its axis: .sum(axis=1, keepdims=True) or v[:, None].",
    ),
    (
        re.compile(r"axis (-?\d+) is out of bounds for array of dimension (\d+)"),
        "Your function used axis {0} on an array with only {1} dimension(s). For one row of "
        "scores use axis=-1 (the last axis).",
    ),
    (
        re.compile(r"only (?:length-1|0-dimensional) arrays can be converted to Python scalars"),
        "Your function handed an array to a function for single numbers (math.log, math.exp, "
        "float(...)): use NumPy's versions (np.log, np.exp), which work on whole arrays.",
    ),
    (
        re.compile(r"index (-?\d+) is out of bounds for axis (\d+) with size (\d+)"),
        "An axis of size {2} has the indices 0 to {2} − 1: check the range of your loop or "
        "the index you computed.",
    ),
    (
        re.compile(r"truth value of an array with more than one element is ambiguous"),
        "Python needed one True or False (an if, a while, `and`, `or`) and got an array: the "
        "test inputs may be 2-D, so a loop over them gives rows, not numbers. Use NumPy's "
        "elementwise tools instead: np.where(y == 1, a, b), or arithmetic with y and 1 − y.",
    ),
    (
        re.compile(r"name '(\w+)' is not defined"),
        "Your function uses the name {0!r}, which is not defined where it runs: define or "
        "import it inside the notebook (for example import numpy as np).",
    ),
)
# With class labels among the inputs, an index out of bounds is nearly always a[y] for
# a[np.arange(N), y].
_LABEL_INDEX_ADVICE = (
    "With labels, that is usually one of two things. A number of classes fixed in the code "
    "(np.eye(3)[y] where a label is 3): take C from the data, logits.shape[1] or "
    "y.max() + 1. Or a[y] where each row's entry is meant: rows are samples and columns are "
    "classes, so index both axes, a[np.arange(len(y)), y]."
)


def _has_labels(q) -> bool:
    return any(
        isinstance(a, np.ndarray) and a.dtype.kind in "iu" for args in q.test_inputs for a in args
    )


def _explain_error(exc: BaseException, q=None) -> str:
    """What a learner's function raised, then advice for the usual NumPy mistakes: every
    exercise reports an error the same way, starting with its type and message."""
    if isinstance(exc, SystemExit):
        return (
            "Your function called exit() (or sys.exit(), quit(), raise SystemExit): in a "
            "notebook that stops the cell. A function hands its result back with return ..."
        )
    try:
        text = str(exc)
    except LEARNER_ERRORS:
        text = "(its message could not be shown)"
    report = f"Your function raised {type(exc).__name__}: {text[:200]}".rstrip()
    report += "" if report.endswith((".", "!", "?")) else "."
    for pattern, advice in _NUMPY_ADVICE:
        found = pattern.search(text)
        if found:
            if "out of bounds for axis" in pattern.pattern and q is not None and _has_labels(q):
                advice = _LABEL_INDEX_ADVICE
            return f"{report} {advice.format(*found.groups())}"
    return report


# ---- the kinds ----------------------------------------------------------------------------
def _is_bool(answer) -> bool:
    """True and False (and arrays of them): yes/no values, which a number question refuses
    although Python counts True as 1."""
    if isinstance(answer, (bool, np.bool_)):
        return True
    try:
        return isinstance(answer, (list, tuple, np.ndarray)) and np.asarray(answer).dtype == bool
    except LEARNER_ERRORS:
        return False


# A unit written after a number: "3 bits", "1.39 nats.", "6250 bytes", "2.7 bits per character".
# A unit written after a number, and what it may be per: a character (a rate) or the whole
# text (a total): "3 bits", "1.39 nats.", "6250 bytes", "2.7 bits per character", "bits/char".
UNIT_AT_END = re.compile(
    r"\s*\b(?P<unit>nat|bit|byte|kib|kb|kilobyte|mb)s?\b"
    r"(?:(?:\s*/\s*|\s+(?:per|a|an|each)\s+)"
    r"(?:(?P<rate>chars?|characters?|letters?|symbols?|tokens?)|text|file|message|total))?"
    r"\.?\s*$",
    re.I,
)
# Words after a number that change it ("0.1 squared", "6.25 thousand"): such a text is not read.
OPERATION_WORDS = {
    "squared", "sq", "sqrt", "root", "cubed", "times", "over", "minus", "plus", "divided",
    "thousand", "thousands", "k", "million", "millions", "hundred", "percent", "inverse",
    "reciprocal", "log", "ln", "exp", "e", "x",
}  # fmt: skip
# Words after a number that only say what was counted ("195 parameters"): the number is read.
# Any other word (a unit this check does not know, "2.73 B", "6.73 hartleys") leaves the text
# unread, never silently dropped.
COUNT_NOUNS = {
    "parameters", "params", "weights", "numbers", "values", "entries", "classes", "examples",
    "samples", "characters", "chars", "letters", "tokens", "pairs", "images", "digits",
    "points", "epochs", "steps", "times", "candidates", "elements", "terms",
}  # fmt: skip
UNIT_NAMES = {
    "nat": "nats",
    "bit": "bits",
    "byte": "bytes",
    "kb": "kB",
    "kib": "KiB",
    "kilobyte": "kilobytes",
    "mb": "MB",
}
_NUMBER_TEXT = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")


def number_from_text(text: str):
    """The number (or list of numbers) a text answer writes, or None: read, never evaluated.

    The lessons' minus sign (U+2212), "≈", a unit (nats, bits), thousands commas, a fraction
    and a percentage (the number itself, 90 for "90 %": a percentage where a fraction is
    asked is then named as such) are understood.

    >>> number_from_text("−1,021.7"), number_from_text("9/10"), number_from_text("3 bits")
    (-1021.7, 0.9, 3.0)
    >>> number_from_text("90 %"), number_from_text("[-0.335, 0.245]").tolist(), number_from_text("1/e")
    (90.0, [-0.335, 0.245], None)
    >>> number_from_text("inf"), number_from_text("−∞")
    (inf, -inf)
    """
    t = str.strip(str(text)).replace("−", "-").lstrip("≈~ ").strip()
    t = UNIT_AT_END.sub("", t)
    t = re.sub(r"^([-+])\s+", r"\1", t)
    if re.fullmatch(r"[-+]?\d{1,3}(?:,\d{3})+(?:\.\d+)?", t):
        t = t.replace(",", "")
    if _NUMBER_TEXT.fullmatch(t):
        return float(t)
    infinite = re.fullmatch(r"([-+]?)\s*(?:inf|infinity|∞)", t.lower())
    if infinite:  # "inf", "infinity", "∞", "-inf"
        return -math.inf if infinite[1] == "-" else math.inf
    percent = re.fullmatch(r"(.+?)\s*%", t)
    if percent and _NUMBER_TEXT.fullmatch(percent[1]):
        return float(percent[1])
    fraction = re.fullmatch(r"(.+?)\s*/\s*(.+)", t)
    if fraction and all(_NUMBER_TEXT.fullmatch(part) for part in fraction.groups()):
        top, bottom = float(fraction[1]), float(fraction[2])
        return top / bottom if bottom != 0 else None
    listed = re.fullmatch(r"\[(.*)\]", t)
    parts = re.split(r"\s*,\s*|\s+", (listed[1] if listed else t).strip())
    if len(parts) > 1 and all(_NUMBER_TEXT.fullmatch(part) for part in parts):
        return np.array([float(part) for part in parts])  # "[-0.3, 0.2]", "-0.3, 0.2", "-0.3 0.2"
    counted = re.fullmatch(r"(\S+)\s+([a-z]+)", t.lower())  # "195 parameters"
    if counted and _NUMBER_TEXT.fullmatch(counted[1]) and counted[2] in COUNT_NOUNS:
        return float(counted[1])
    return None


class _Kind:
    """What every kind of answer has in common."""

    def passes_over(self, q, given, mistake) -> bool:
        """Whether a listed ``mistake`` cannot be what was given, whatever it matches."""
        return False


class ValueKind(_Kind):
    """Numbers and arrays, right to ``q.digits`` significant digits."""

    def prepare(self, q, answer):
        if _is_bool(answer):
            return Verdict(
                INCORRECT,
                f"You gave {_describe(answer)}, a yes/no value, but this question asks for a "
                "number. (Python counts True as 1 and False as 0; the check does not.)",
            )
        if isinstance(answer, str) and type(answer) is not str:
            answer = str.__str__(answer)  # np.str_('0.7'): the text itself, no method of its own
        if type(answer) is str:
            # every Unicode space (thin, figure, ideographic …) is a space: "6 250" as typed
            answer = re.sub(r"[\u2000-\u200a\u205f\u3000]", " ", answer)
            exponent = re.fullmatch(r"(\s*[-+−]?\d+),(\d+)([eE][-+−]?\d+.*)", answer)
            if exponent and np.ndim(q._answer) == 0:  # "1,39e0": a decimal comma, then e
                answer = f"{exponent[1]}.{exponent[2]}{exponent[3]}"
            european = re.fullmatch(
                r"\s*([-+−]?\d{1,3}(?:[ .\u00a0\u202f]\d{3})+),(\d+)(\s*[a-z].*)?\s*",
                answer,
                re.I,
            )
            if european and np.ndim(q._answer) == 0:  # "6 250,0", "6.250,0": thousands, then
                whole = re.sub(r"[ .\u00a0\u202f]", "", european[1])  # a decimal comma
                answer = f"{whole}.{european[2]}{european[3] or ''}"
            unit_text = UNIT_AT_END.search(answer.strip())
            unit_text = unit_text[0] if unit_text else ""
            bare = answer.strip()[: len(answer.strip()) - len(unit_text)]  # "2,73 bits" → "2,73"
            comma = re.fullmatch(r"\s*[-+−]?\d+,(\d{1,2}|\d{4,})\s*", bare) or re.fullmatch(
                r"\s*[-+−]?0,\d+\s*", bare
            )
            thousands = re.fullmatch(r"\s*[-+−]?\d{1,3},\d{3}\s*", bare)
            if thousands and np.ndim(q._answer) == 0 and not comma:
                as_decimal = float(bare.strip().replace("−", "-").replace(",", "."))
                as_thousands = float(bare.strip().replace("−", "-").replace(",", ""))
                right_as = [
                    v for v in (as_decimal, as_thousands) if self.matches(q, v, q._answer, q.digits)
                ]
                if right_as == [as_decimal]:
                    comma = True
            spaced = re.fullmatch(r"\s*([-+−]?\d{1,3}(?:[ \u00a0\u202f]\d{3})+(?:\.\d+)?)\s*", bare)
            if spaced and np.ndim(q._answer) == 0:  # "6 250 bytes": thousands spaced
                answer = re.sub(r"[ \u00a0\u202f]", "", spaced[1]) + unit_text
            if comma and np.ndim(q._answer) == 0:
                return Verdict(
                    NOT_ATTEMPTED,
                    f"{answer.strip()!r} reads as two numbers: if the comma is a decimal comma, "
                    f"write a point instead ({answer.strip().replace(',', '.')!r}).",
                )
            read = number_from_text(answer)
            written = UNIT_AT_END.search(answer.strip())
            said = UNIT_NAMES[written["unit"].lower()] if written else None
            rate = bool(written and written["rate"])
            asked = detectors.asked_unit(q)
            noun = re.fullmatch(r"\s*\S+\s+([a-z]+)\s*", answer.lower())
            count = _is_count(q._answer) and asked == ""  # a count of things, no unit
            wanted = f"a number of {asked}" if asked else "a number"
            if read is not None and noun and noun[1] in COUNT_NOUNS and not count:
                return Verdict(
                    INCORRECT,
                    f"Your answer counts {noun[1]}, but this question asks for {wanted}: read "
                    "the question again, what is being measured?",
                )
            if read is not None and written and asked == "":
                return Verdict(
                    INCORRECT,
                    f"Your answer says {said}, but this question asks for a "
                    "number without a unit (read the question again: what kind of quantity is "
                    "it?).",
                )
            if read is not None and written and asked and said != asked:
                return Verdict(
                    INCORRECT,
                    f"Your answer says {said}, but this question asks for "
                    f"{asked}: give the value in {asked}.",
                )
            if read is not None and rate and asked == "bytes":
                return Verdict(
                    INCORRECT,
                    f"Your answer is a rate ({answer.strip()!r}), but this question asks for "
                    "a number of bytes in all.",
                )
            if read is not None and re.search(r"\d\s*%", answer):  # "0.7 %" is 0.007
                if q.fraction:
                    return Verdict(
                        INCORRECT, f"{catalogue.PERCENT.text} (You wrote {answer.strip()!r}.)"
                    )
                return Verdict(
                    INCORRECT,
                    f"Your answer is a percentage ({answer.strip()!r}), but this question asks "
                    f"for {wanted}: read the question again, what is being measured?",
                )
            if read is not None:
                return read  # "1.386", "−1021.7", "9/10", "3 bits": read, never evaluated
            return Verdict(  # "1/e", "ln 4", "e^1.2 = 3.32": no number to judge, not wrong
                NOT_ATTEMPTED,
                f"Your answer is the text {answer.strip()!r}, which is no number this check "
                "can read. Write the value itself (for example 0.693, 9/10 or 1.39 nats): "
                "answers are read as numbers, never evaluated as code.",
            )
        return answer

    def matches(self, q, given, target, digits) -> bool:
        if isinstance(target, catalogue.Within):  # a range: a slider read at one setting
            value = _to_array(given, what="Your answer")
            return value.ndim == 0 and float(value) in target
        if _is_count(target):  # a count is exact: 195.5 parameters is no count
            value = _to_array(given, what="Your answer")
            if value.size != 1:  # [], [195, 195]: no count ([] == 195 is vacuously all True)
                raise _Mismatch(
                    f"Your answer has shape {value.shape}, but this question asks for one "
                    "whole number."
                )
            return bool(value.reshape(()) == target)
        return value_digits(given, target, scale=_answer_scale(q)) >= digits

    def near_miss(self, q, given, mismatch=None) -> str | None:
        """What a wrong value is, when the general detectors can tell (``._detectors``): the
        right value rounded or cut off, a factor or transform of it, a number a lesson
        prints, a listed mistake with a second slip, a part of the answer, …"""
        try:
            given_arr = _to_array(given, what="Your answer")
        except _Mismatch as exc:  # text, a function, …: the mismatch says what to give
            return str(mismatch or exc)
        target = np.asarray(q._answer, dtype=float)
        if mismatch is not None:
            return detectors.shape_story(given_arr, target) or str(mismatch)
        given_arr, target = _same_shape(given_arr, target, squeeze=True)
        return detectors.value_near_miss(q, given_arr, target)


def _answer_scale(q) -> float:
    """The size of the exercise's answer: the unit in which an entry 0 is measured."""
    try:
        answer = np.asarray(q._answer, dtype=float)
    except (TypeError, ValueError):
        return 1.0
    return float(np.max(np.abs(answer))) if answer.size and np.any(answer) else 1.0


class ChoiceKind(_Kind):
    """A letter (multiple choice, "explain why"): '(b)', 'B)', 'option b' and ' b ' all mean
    b; a hedge ('b or c', 'b, c', 'bc') is neither right nor wrong: it is not marked."""

    def prepare(self, q, answer):
        if not isinstance(answer, str):
            return Verdict(
                NOT_ATTEMPTED,
                f"This is a multiple-choice question: answer with the letter of your choice "
                f"as text, for example 'b'. You gave {_describe(answer)}.",
            )
        options = _options(q)
        listed = ", ".join(f"({o})" for o in options)
        read = read_choice(answer, options)
        if isinstance(read, list):
            return Verdict(
                NOT_ATTEMPTED,
                f"{catalogue.HEDGE.text} (You gave {', '.join(read)}; the options are {listed}.)",
            )
        copied = [
            letter
            for letter, text in option_texts(q.prompt).items()
            if text and _plain_words(answer) and _has_phrase(text, _plain_words(answer))
        ]
        if read is None and len(copied) == 1:
            return Verdict(
                NOT_ATTEMPTED,
                f"Those are the words of option ({copied[0]}): answer with its letter, as text, "
                f"'{copied[0]}'. The options are {listed}.",
            )
        if read is None:
            return Verdict(
                NOT_ATTEMPTED,
                f"This is a multiple-choice question: answer with the letter of one option, "
                f"as text such as 'a'. You gave {_describe(answer)}; the options are {listed}.",
            )
        if read not in options:
            return Verdict(
                NOT_ATTEMPTED,
                f"{catalogue.NOT_AN_OPTION.text} There is no option ({read}) here: the "
                f"options are {listed}.",
            )
        other = _words_of_another_option(q.prompt, answer, read)
        if other:
            return Verdict(
                NOT_ATTEMPTED,
                f"{catalogue.HEDGE.text} (Your letter is ({read}), but the words after it are "
                f"option ({other})'s; the options are {listed}.)",
            )
        if letter_alone(answer, option_texts(q.prompt, raw=True)) != read:
            return Verdict(
                NOT_ATTEMPTED,
                f"{catalogue.MORE_THAN_A_LETTER.text} You gave {_describe(answer)}; the "
                f"options are {listed}.",
            )
        return read

    def matches(self, q, given, target, digits) -> bool:
        return given == _normalise_choice(target)

    def near_miss(self, q, given, mismatch=None) -> str | None:
        return None


class FunctionKind(_Kind):
    """A function ("write this", "debug this"), called on the test inputs."""

    def prepare(self, q, answer):
        """The function's outputs on the test inputs, or why there are none."""
        if not callable(answer):
            return Verdict(
                INCORRECT,
                f"This exercise expects a function (pass its name, without calling it); "
                f"you gave {_describe(answer)}.",
            )
        try:
            given, printed, changed_arg, touched = _outputs_watching(
                answer, q.test_inputs, first_may_change=q.in_place_ok
            )
        except LEARNER_ERRORS as exc:  # the learner's code may raise anything, exit() too
            listed = _listed_mistake_that_fails_alike(q, answer)
            return Verdict(INCORRECT, listed or _explain_error(exc, q))
        if all(out is None for out in given):
            if printed.strip():
                return Verdict(
                    INCORRECT,
                    "Your function printed its result but returned None: did you print "
                    "instead of return? Replace print(...) with return ...",
                )
            if touched is not None:
                name = touched or "…"
                return Verdict(
                    INCORRECT,
                    f"Your function changes its argument {name} in place (as in "
                    f"{name} -= …) but returns None: an update in place returns nothing. "
                    f"End with return {name}, or return the new value.",
                )
            return Verdict(
                NOT_ATTEMPTED,
                "Your function returns None: finish its body and remember the `return` "
                f"statement. Stuck? Try {q.name}.hint().",
            )
        text = next((out for out in given if isinstance(out, str)), None)
        if text is not None:
            return Verdict(
                INCORRECT,
                f"Your function returns text, {_describe(text)}, not a number: return the "
                "value itself (return x, not str(x) or an f-string), and format it only where "
                "you print it.",
            )
        if changed_arg is not None:
            name = changed_arg or "one of its arguments"
            return Verdict(
                INCORRECT,
                f"Your function changes its argument {name} in place (as in "
                f"{name} -= …, or out={name}): the caller's array is overwritten, so "
                "in the notebook the data you passed in would be gone. Compute on new "
                f"arrays ({name} - …, not {name} -= …), or start from {name}.copy().",
            )
        return given

    def passes_over(self, q, given, mistake) -> bool:
        """An output in float32 (or float16) where the reference's is float64 is named as
        float32 (:meth:`near_miss`), not as a listed mistake whose numbers it happens to
        match to float32's precision."""
        if mistake is catalogue.LOW_PRECISION or not _low_precision(given):
            return False
        expected, _ = outputs(q._answer, q.test_inputs)
        return not _low_precision(expected)

    def matches(self, q, given, target, digits) -> bool:
        if isinstance(target, catalogue.Symptom):
            expected, _ = outputs(q._answer, q.test_inputs)
            with np.errstate(all="ignore"):
                return bool(target.test(given, expected, q.test_inputs))
        expected, _ = outputs(target, q.test_inputs)  # ours: its errors are the checker's
        return all(_close(g, t, q.rtol, q.atol) for g, t in zip(given, expected, strict=True))

    def near_miss(self, q, given, mismatch=None) -> str | None:
        """What wrong outputs show, when the general detectors can tell (``._detectors``):
        instability, the wrong shape, a constant factor named from the inputs' sizes, a step
        of the wrong size, the right function of a transformed input, …; then a listed
        mistake with a factor on top; else how many test inputs it gets right."""
        expected, _ = outputs(q._answer, q.test_inputs)
        names = _parameter_names(q._answer)
        if _low_precision(given) and not _low_precision(expected):
            return catalogue.LOW_PRECISION.text
        if _as_in_float32(q, given, expected):
            return catalogue.LOW_PRECISION.text
        decimals = _rounded_outputs(given, expected)
        if decimals is not None:
            return (
                f"{catalogue.ROUNDED.name}: your function rounds its output to {decimals} "
                "decimals. Return it as computed, and round only where you print it."
            )

        def call(fn, inputs):
            return outputs(fn, inputs)[0]

        found = detectors.function_near_miss(q, given, expected, names, q._answer, call)
        if found:
            return found
        for wrong, feedback in q._misconceptions:  # a named mistake, and a factor on top
            if isinstance(wrong, catalogue.Symptom):
                continue
            with contextlib.suppress(*LEARNER_ERRORS):
                shown = [np.asarray(x, dtype=float) for x in call(wrong, q.test_inputs)]
                factors = detectors._factor([np.asarray(x, dtype=float) for x in given], shown)
                named = factors and detectors.name_factor(
                    q, factors, shown, q.test_inputs, names, of="what that mistake alone gives"
                )
                if named and not named.startswith(catalogue.FACTOR.name):
                    return f"Two slips. {named} And: {feedback}"
        if mismatch is not None:
            return str(mismatch)
        right = sum(_close_or_false(g, e, q) for g, e in zip(given, expected, strict=True))
        if 0 < right < len(expected):
            return (
                f"Not quite: your function is right on {right} of the {len(expected)} test "
                f"inputs, wrong on the others. Try {q.name}.hint() for a nudge."
            )
        return None


def _per_input(fn, inputs) -> list:
    """fn's output on each test input, or the type of the error it raised there."""
    results = []
    for args in inputs:
        try:
            results.append(outputs(fn, [args])[0][0])
        except LEARNER_ERRORS as exc:
            results.append(type(exc))
    return results


def _listed_mistake_that_fails_alike(q, answer) -> str | None:
    """The feedback of a listed wrong function that fails on the same test inputs, with the
    same error, as the learner's, and agrees with it on the others (a step without the
    chain rule runs only where N = D): the mistake named, not only the error."""
    wrongs = [
        (w, f) for w, f in q._misconceptions if callable(w) and not isinstance(w, catalogue.Symptom)
    ]
    if not wrongs:
        return None
    given = _per_input(answer, q.test_inputs)
    for wrong, feedback in wrongs:
        shown = _per_input(wrong, q.test_inputs)
        alike = all(
            (isinstance(g, type) and g is w)
            or (not isinstance(g, type) and not isinstance(w, type) and _close_or_false(g, w, q))
            for g, w in zip(given, shown, strict=True)
        )
        if (
            alike
            and any(isinstance(g, type) for g in given)
            and not all(isinstance(g, type) for g in given)
        ):
            return feedback
    return None


def _rounded_outputs(given, expected) -> int | None:
    """The number of decimals the outputs are the right ones rounded to (None: not that)."""
    try:
        pairs = [
            (np.asarray(g, dtype=float), np.asarray(e, dtype=float))
            for g, e in zip(given, expected, strict=True)
        ]
    except (TypeError, ValueError):
        return None
    if any(g.shape != e.shape or not np.all(np.isfinite(e)) for g, e in pairs):
        return None
    if all(np.array_equal(e, np.round(e)) for _, e in pairs):
        return None  # whole numbers: rounding them changes nothing
    for decimals in range(1, 7):
        if all(np.array_equal(g, np.round(e, decimals)) for g, e in pairs) and not all(
            np.array_equal(g, e) for g, e in pairs
        ):
            return decimals
    return None


def _as_in_float32(q, given, expected) -> bool:
    """The outputs the reference gives when its float inputs are cast to float32 (and they
    are not the right ones): the learner computed in float32 and returned float64."""
    cast = [
        tuple(
            a.astype(np.float32) if isinstance(a, np.ndarray) and a.dtype == np.float64 else a
            for a in args
        )
        for args in q.test_inputs
    ]
    if not any(
        isinstance(a, np.ndarray) and a.dtype == np.float64 for args in q.test_inputs for a in args
    ):
        return False
    try:
        with np.errstate(all="ignore"):
            in_float32, _ = outputs(q._answer, cast)
            # float64's accuracy where float32 has none: another mistake (log1p(p − 1))
            if any(
                _close(g, e, 1e-12, 1e-300) and not _close(f, e, 1e-8, 1e-11)
                for g, e, f in zip(given, expected, in_float32, strict=True)
            ):
                return False
            # off by a float32-sized error somewhere (not 1e-12), and float32's own result
            return any(
                not _close_or_false(g, e, q) and not _close(g, e, 1e-8, 1e-11)
                for g, e in zip(given, expected, strict=True)
            ) and all(_close(g, f, 1e-5, 1e-30) for g, f in zip(given, in_float32, strict=True))
    except (*LEARNER_ERRORS, _Mismatch):
        return False


def _low_precision(outputs) -> bool:
    """Some output is a float of fewer than 64 bits (float32, float16)."""
    for out in outputs:
        with contextlib.suppress(TypeError, ValueError):
            dtype = np.asarray(out).dtype
            if dtype.kind == "f" and dtype.itemsize < 8:
                return True
    return False


def _close_or_false(g, e, q) -> bool:
    try:
        return _close(g, e, q.rtol, q.atol)
    except _Mismatch:
        return False


def _parameter_names(fn) -> list[str]:
    try:
        return list(inspect.signature(fn).parameters)
    except (TypeError, ValueError):
        return []


KINDS = {"value": ValueKind(), "choice": ChoiceKind(), "function": FunctionKind()}


def _outputs_watching(fn, test_inputs, *, first_may_change: bool = False):
    """:func:`outputs` of a learner's function, and the name of an array argument it changed
    in place ('' without a name of its own, None when it changed none), from the same calls.
    With ``first_may_change`` (an update step, ``W -= lr * grad; return W``) the first
    argument may change and is reported as ``touched`` (for a step that forgot its return);
    any other may not."""
    results, printed, changed, touched = [], io.StringIO(), None, None
    with contextlib.redirect_stdout(printed), np.errstate(all="ignore"):
        for args in test_inputs:
            copies = [a.copy() if isinstance(a, np.ndarray) else a for a in args]
            results.append(fn(*copies))
            for i, (before, after) in enumerate(zip(args, copies, strict=True)):
                same = isinstance(before, np.ndarray) and np.array_equal(
                    before, after, equal_nan=True
                )
                if not isinstance(before, np.ndarray) or same:
                    continue
                if touched is None:
                    touched = _parameter_name(fn, i)
                if changed is None and not (first_may_change and i == 0):
                    changed = _parameter_name(fn, i)
    return results, printed.getvalue(), changed, touched


def _parameter_name(fn, i: int) -> str:
    """The name of ``fn``'s ``i``-th positional parameter ('' when it has none of its own)."""
    try:
        params = list(inspect.signature(fn).parameters.values())
    except (TypeError, ValueError):
        return ""
    positional = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    return params[i].name if i < len(params) and params[i].kind in positional else ""


def outputs(fn, test_inputs):
    """``fn`` on every test input (copies, so it cannot spoil them), and what it printed."""
    results, printed = [], io.StringIO()
    with contextlib.redirect_stdout(printed), np.errstate(all="ignore"):
        for args in test_inputs:  # arrays are copied; numbers stay plain numbers
            results.append(fn(*[a.copy() if isinstance(a, np.ndarray) else a for a in args]))
    return results, printed.getvalue()


def value_digits(given, target, scale: float | None = None) -> float:
    """The significant digits of ``target`` that the answer ``given`` gets right (an entry 0
    of ``target`` measured in the units of ``scale``)."""
    given, target = _same_shape(
        _to_array(given, what="Your answer"), np.asarray(target, dtype=float), squeeze=True
    )
    return detectors.digits_right(given, target, scale)
