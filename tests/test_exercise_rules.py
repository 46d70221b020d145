"""Course-wide rules every exercise must follow (issue: fair checkers that cannot break).

- at least two named misconceptions;
- a number shown in a hint or the worked solution that is close to the answer (within 2 %)
  passes the checker (a checker never rejects the value its own solution gives);
- no hint gives the answer away: no hint holds a number that passes, and no hint of a
  function exercise holds every code line of the worked solution;
- "explain why" exercises have feedback for every wrong option and an explanation;
- lessons 03–07 each have an "explain why" and a "debug this" exercise.
"""

import ast
import inspect
import math
import re
from pathlib import Path

import numpy as np
import pytest

import xentlib as xl
from xentlib.exercises import all_exercises
from xentlib.exercises._catalogue import CATALOGUE

EXERCISES = all_exercises()
IDS = [q.label.replace(" ", "_") for q in EXERCISES]
NUMBER = re.compile(r"(?<![\w.])[-−]?\d+(?:\.\d+)?(?:e[-−]?\d+)?(?![\w.])")


def _numbers(text: str):
    for match in NUMBER.finditer(text.replace("−", "-")):
        try:
            yield float(match.group())
        except ValueError:
            continue


def _scalar_value(q) -> bool:
    return q.kind == "value" and np.ndim(q.answer) == 0


@pytest.mark.parametrize("q", EXERCISES, ids=IDS)
def test_every_exercise_names_two_misconceptions(q):
    assert len(q.misconceptions) >= 2, f"{q.label} declares {len(q.misconceptions)}"
    for _wrong, feedback in q.misconceptions:
        assert len(feedback) > 30, f"{q.label}: feedback too short to name a mistake: {feedback!r}"


@pytest.mark.parametrize("q", [q for q in EXERCISES if _scalar_value(q)], ids=lambda q: q.label)
def test_numbers_near_the_answer_in_hints_and_solutions_pass(q):
    ref = float(q.answer)
    for text in (*q.hints, q.worked_solution):
        for x in _numbers(text):
            if ref != 0 and abs(x - ref) <= 0.02 * abs(ref):
                assert q.check(x).passed, f"{q.label}: {x} (in {text[:60]!r}) is rejected"


# ---- no hint gives the answer away ---------------------------------------------------------
# A hint may name the method; it must not hold the answer: the number at the precision asked
# (or an expression that evaluates to it, "-(0.7·ln 0.4 + 0.3·ln 0.6)"), most entries of an
# array answer, the letter of a choice, or a line of a function's worked solution.
_MATH = {
    "log": math.log, "ln": math.log, "log2": math.log2, "log10": math.log10,
    "exp": math.exp, "sqrt": math.sqrt, "e": math.e,
}  # fmt: skip
_UNICODE = {"−": "-", "·": "*", "×": "*", "⁰": "**0", "¹": "**1", "²": "**2", "³": "**3",
            "₂": "2", "₁₀": "10", "^": "**", "π": "3.141592653589793"}  # fmt: skip
_TOKEN = re.compile(r"\d+(?:\.\d+)?(?:e-?\d+)?|\*\*|np\.log2|np\.log10|np\.log|np\.exp|"
                    r"log2|log10|log|ln|exp|sqrt|\be\b|[-+*/()]")  # fmt: skip


def _evaluate(tokens: list[str], bare: bool = False):
    """The value of a token list as arithmetic (None when it is not an expression): its
    syntax tree is checked to hold only numbers, + - * / **, parentheses and log/exp/sqrt
    before it is evaluated."""
    text = " ".join(t.replace("np.", "") for t in tokens)
    text = re.sub(r"\b(log2|log10|log|ln|exp|sqrt)\s+(\d+(?:\.\d+)?)", r"\1(\2)", text)
    try:
        tree = ast.parse(text, mode="eval")
    except SyntaxError:
        return None
    allowed = (ast.Expression, ast.BinOp, ast.UnaryOp, ast.Call, ast.Name, ast.Constant, ast.Load,
               ast.Add, ast.Sub, ast.Mult, ast.Div, ast.Pow, ast.USub, ast.UAdd)  # fmt: skip
    if not all(isinstance(node, allowed) for node in ast.walk(tree)):
        return None
    if not bare and not any(isinstance(node, (ast.BinOp, ast.Call)) for node in ast.walk(tree)):
        return None  # a bare number: the number test sees it
    try:
        return eval(compile(tree, "<hint>", "eval"), {"__builtins__": {}}, _MATH)
    except (ArithmeticError, ValueError, TypeError, NameError):
        return None


def expressions(text: str):
    """Every arithmetic expression written in ``text``: each run of math tokens, and every
    stretch of it (a hint may say "… is e² / (e² + e + 1), …")."""
    for old, new in _UNICODE.items():
        text = text.replace(old, new)
    text = re.sub(r"(?<![\w.])(\d+(?:\.\d+)?)\s*\(", r"\1*(", text)  # 0.7(…) is 0.7·(…)
    for run in re.finditer(rf"(?:{_TOKEN.pattern}|\s)+", text):
        tokens = _TOKEN.findall(run.group())
        for i in range(len(tokens)):
            for j in range(i + 2, len(tokens) + 1):
                value = _evaluate(tokens[i:j])
                if isinstance(value, (int, float)) and math.isfinite(value):
                    yield " ".join(tokens[i:j]), float(value)


_UNKNOWN = "θqpxt"  # the letters a question's unknown goes by


def equations(text: str):
    """Equations in one unknown written in ``text`` ("7/θ − 3/(1 − θ) = 0", "−ln q = 1"),
    as functions of the unknown: ``(written, f)`` with f(v) = left side − right side."""
    for old, new in _UNICODE.items():
        text = text.replace(old, new)
    side = rf"(?:{_TOKEN.pattern}|[{_UNKNOWN}](?![\w(])|\s)+"
    for found in re.finditer(rf"({side})=({side})", text):
        for letter in _UNKNOWN:
            if not re.search(rf"(?<![\w.]){letter}(?![\w(])", found.group()):
                continue

            def difference(value, found=found, letter=letter):
                sides = []
                for part in found.groups():
                    part = re.sub(rf"(?<![\w.]){letter}(?![\w(])", f"({value!r})", part)
                    part = re.sub(r"(?<![\w.])(\d+(?:\.\d+)?)\s*\(", r"\1*(", part)
                    sides.append(_evaluate(_TOKEN.findall(part), bare=True))
                if None in sides:
                    return None
                return sides[0] - sides[1]

            yield found.group().strip(), difference


def _passes(q, value) -> bool:
    return bool(q.check(value).passed)


@pytest.mark.parametrize("q", [q for q in EXERCISES if _scalar_value(q)], ids=lambda q: q.label)
def test_no_hint_holds_the_answer_or_an_expression_for_it(q):
    for hint in q.hints:
        for x in _numbers(hint):
            assert not _passes(q, x), f"{q.label}: hint {hint!r} holds the answer {x}"
        for written, value in expressions(hint):
            assert not _passes(q, value), (
                f"{q.label}: hint {hint!r} holds {written!r}, which evaluates to the answer"
            )
        answer = float(q.answer)
        for written, difference in equations(hint):
            at_answer, elsewhere = difference(answer), difference(1.3 * answer + 0.1)
            solved = at_answer is not None and elsewhere is not None and abs(at_answer) < 1e-9
            assert not (solved and abs(elsewhere) > 1e-6), (
                f"{q.label}: hint {hint!r} holds {written!r}, an equation the answer solves"
            )


@pytest.mark.parametrize(
    "q",
    [q for q in EXERCISES if q.kind == "value" and np.ndim(q.answer) > 0],
    ids=lambda q: q.label,
)
def test_no_hint_holds_most_entries_of_an_array_answer(q):
    answer = np.ravel(np.asarray(q.answer, dtype=float))
    for hint in q.hints:
        shown = list(_numbers(hint))
        held = [a for a in answer if any(_same_to(x, a, q.digits) for x in shown)]
        assert len(held) < len(answer) / 2, f"{q.label}: hint {hint!r} holds {held}"


def _same_to(x: float, a: float, digits: int) -> bool:
    return a != 0 and abs(x - a) <= 0.5 * 10 ** (math.floor(math.log10(abs(a))) + 1 - digits)


@pytest.mark.parametrize("q", [q for q in EXERCISES if q.kind == "choice"], ids=lambda q: q.label)
def test_no_hint_names_the_right_option(q):
    letter = q.answer.strip().lower()
    for hint in q.hints:
        named = re.search(
            rf"\(\s*{letter}\s*\)|['\"]{letter}['\"]|\boption\s+{letter}\b", hint, re.I
        )
        assert named is None, f"{q.label}: hint {hint!r} names the answer ({letter})"


def _code_lines(source: str) -> list[str]:
    """The worked solution's code lines worth a hint: not the def, comments, return of a
    single name or a one-word statement."""
    lines = []
    for line in source.splitlines():
        code = line.split("  #")[0].split(" # ")[0].strip()
        if not code or code.startswith(("def ", "#")) or not re.search(r"[=(\[]", code):
            continue
        lines.append(" ".join(code.split()))
    return lines


@pytest.mark.parametrize("q", [q for q in EXERCISES if q.kind == "function"], ids=lambda q: q.label)
def test_no_hint_holds_a_line_of_the_worked_solution(q):
    for line in _code_lines(q.worked_solution):
        for hint in q.hints:
            assert line not in " ".join(hint.split()), (
                f"{q.label}: hint {hint!r} holds the solution's line {line!r}"
            )


_CODE_TOKEN = re.compile(r"[A-Za-z_]\w*|\d+(?:\.\d+)?|\*\*|[-+*/@|<>]|\[:,\s*None\]")
_SPELLED = {"maximum": "max", "minimum": "min", "abs": "|", "ln": "log"}


def _code_tokens(text: str) -> set[str]:
    """The names, numbers and operators of code or of a formula written in prose, spelled
    alike (np.maximum and max, np.abs and |z|, · and *, ^ and **, ln and log)."""
    for old, new in (("−", "-"), ("·", "*"), ("×", "*"), ("^", "**"), ("np.", ""), ("xl.", "")):
        text = text.replace(old, new)
    return {_SPELLED.get(t, t) for t in _CODE_TOKEN.findall(text)}


def _solution_tokens(q) -> set[str]:
    code = " ".join(
        line.split("#")[0]
        for line in q.worked_solution.splitlines()
        if line.strip() and not line.strip().startswith(("def ", "#"))
    )
    params = set(inspect.signature(q.answer).parameters)
    return _code_tokens(code) - {"return", "for", "in", "range", "len", "float"} - params


def held_code_share(q, hints) -> float:
    """The share of the worked solution's names, numbers and operators that the hints
    write (0 for a solution of fewer than 8: a one-call solution is the method itself)."""
    solution = _solution_tokens(q)
    if len(solution) < 8:
        return 0.0
    return len(solution & _code_tokens(" ".join(hints))) / len(solution)


@pytest.mark.parametrize("q", [q for q in EXERCISES if q.kind == "function"], ids=lambda q: q.label)
def test_the_hints_together_do_not_hold_most_of_the_solutions_code(q):
    """Issue 22 round 2: lesson 09 q2's hints held 8 of the 9 names and operators of
    ``np.mean(np.maximum(z, 0) - z * y + np.log1p(np.exp(-np.abs(z))))``, in prose."""
    share = held_code_share(q, q.hints)
    assert share < 0.85, f"{q.label}: the hints hold {share:.0%} of the solution's code"


# The hints issue 22's second learner found giving the answer away (all 25), word for word:
# each is gone (rewritten so a step stays the learner's), and the code rule above catches 09 q2's.
ROUND_2_GIVEAWAYS = {
    ("00 q1", 2): "ln(1/x) = -ln(x): the loss is the natural log of 1/0.25, a whole number.",
    (
        "01 q1",
        2,
    ): "Bits: how many times must you halve 1 to get down to 1/8? Each halving is one bit of surprise.",
    (
        "01 q5",
        2,
    ): "Can a codeword be empty? If not, what is the shortest a codeword can be, and what does that make the average?",
    ("02 q3", 2): "Class 2 is the third entry (Python counts from 0): ŷ_2 = 0.5.",
    ("03 q2", 2): "Work out -ln 0.9, -ln 0.4 and -ln 0.2, then average the three.",
    ("03 q4", 1): "Pick one probability per row: probs[np.arange(N), y].",
    (
        "03 q4",
        2,
    ): "Those N numbers are the probabilities of the true labels: turn each into a loss -ln q_y and average the losses (not the probabilities).",
    (
        "04 q4",
        2,
    ): "Row 0's label is 2 and row 1's is 0: take minus the log of each of those two probabilities, then the mean of the two losses.",
    (
        "04 q7",
        2,
    ): "The model's output is already logits. What happens if you give the loss those directly, without any step in between?",
    ("05 q1", 1): "∂L/∂z = softmax(z) - e_y, with e_y the one-hot vector of the true class.",
    (
        "05 q1",
        2,
    ): "Compute softmax([2, 1, 0]) first (lesson 04's q1 asked for its first entry); e_y is the one-hot vector of class 0. Subtract entry by entry.",
    (
        "05 q2",
        1,
    ): "Per example the gradient is softmax(z_i) - e_(y_i). Build the one-hot matrix with np.eye(C)[y].",
    ("05 q2", 2): "The mean over N examples divides every row's gradient by N.",
    ("08 q1", 2): "If ln q = a, then q = e^a. What is a here?",
    (
        "08 q4",
        2,
    ): "Cross-entropy H(t, q) ≥ H(t), with equality when q = t (Gibbs' inequality, lesson 02).",
    (
        "09 q2",
        2,
    ): "So the loss of one example is softplus(z) − z·y. Compute softplus(z) as max(z, 0) + log1p(exp(−|z|)): the exponent is never positive, so nothing overflows.",
    (
        "09 q3",
        1,
    ): "pos_weight = (number of negative examples) / (number of positive examples), per label.",
    ("09 q3", 2): "How many of the images have no boat?",
    (
        "09 q4",
        2,
    ): "pos_weight multiplies only the positive term y·log σ(z), which is 0 when y = 0. What is left is the ordinary loss of a negative example.",
    (
        "10 q1",
        2,
    ): "∂L/∂σ = σ − y and dσ/dz = σ(1 − σ). Compute σ(−4) = 1/(1 + e⁴) first; mind the sign.",
    (
        "10 q6",
        2,
    ): "Compute the margins for all classes at once (scores minus the true class's score, kept as a column with [:, None]), clip at 0, set the true class's entry to 0, sum, and divide by N.",
    (
        "11 q3",
        2,
    ): "A fraction is ½ exactly when its numerator is half its denominator: write that as an equation in p and solve it.",
    ("11 q5", 2): "Write down the smoothed target t for 5 classes and read off its largest entry.",
    (
        "12 q8",
        2,
    ): "Keep the masked sum, and divide it by the number of positions whose label is not −100 (the mask's sum).",
    (
        "12 q10",
        2,
    ): "log softmax(z)_y = z_y − logsumexp(z), computed with each row's max subtracted (lesson 04): xl.log_softmax, or xl.cross_entropy with logits=.",
}


def test_the_hints_the_second_learner_found_giving_the_answer_away_are_gone():
    by_label = {f"{q.lesson:02d} {q.name}": q for q in EXERCISES}
    for (label, number), old in ROUND_2_GIVEAWAYS.items():
        hints = [" ".join(h.split()) for h in by_label[label].hints]
        assert " ".join(old.split()) not in hints, f"{label} hint {number} still gives it away"
    q = by_label["09 q2"]  # the rule sees what the learner saw
    assert held_code_share(q, [q.hints[0], ROUND_2_GIVEAWAYS[("09 q2", 2)]]) >= 0.85


def test_the_hint_rules_catch_the_hints_of_issue_22():
    """The second hints that were the answer (issue 22) fail the rules above."""
    assert any(
        v == pytest.approx(0.7946511994417057) for _, v in expressions("-(0.7·ln 0.4 + 0.3·ln 0.6)")
    )
    assert any(
        v == pytest.approx(0.6652409557748218) for _, v in expressions("e² / (e² + e¹ + e⁰)")
    )
    assert any(
        v == pytest.approx(0.4581453659370775) for _, v in expressions("(-ln 0.5 - ln 0.8) / 2")
    )
    assert any(v == pytest.approx(math.log(4)) for _, v in expressions("-ln(0.25) = ln(4) because"))
    [(_written, difference)] = equations("7/θ - 3/(1 - θ) = 0.")
    assert difference(0.7) == pytest.approx(0) and difference(0.5) != pytest.approx(0)
    assert "p = p[p > 0]" in _code_lines(
        "def entropy(p):\n    p = p[p > 0]  # drop\n    return -np.sum(p)"
    )
    entries = [0.665, 0.245, 0.090]
    held = [a for a in (-0.335, 0.245, 0.090) if any(_same_to(x, a, 3) for x in entries)]
    assert len(held) >= 3 / 2


@pytest.mark.parametrize(
    "q", [q for q in EXERCISES if "explain-why" in q.tags], ids=lambda q: q.label
)
def test_explain_why_has_reasoned_feedback_for_every_wrong_option(q):
    assert q.kind == "choice" and q.explanation
    options = set(re.findall(r"\(([a-e])\)", q.prompt))
    assert len(options) >= 3, f"{q.label}: list the options as (a), (b), (c) in the prompt"
    covered = {str(w).strip().lower() for w, _ in q.misconceptions}
    assert options - {q.answer} <= covered, (
        f"{q.label}: no feedback for {options - covered - {q.answer}}"
    )


@pytest.mark.parametrize("number", [3, 4, 5, 6, 7])
def test_lessons_3_to_7_have_an_explain_why_and_a_debug_exercise(number):
    tags = [set(q.tags) for q in EXERCISES if q.lesson == number]
    assert any("explain-why" in t for t in tags), f"lesson {number} has no explain-why exercise"
    assert any("debug" in t for t in tags), f"lesson {number} has no debug exercise"


# ---- one catalogue of misconceptions -----------------------------------------------------
@pytest.mark.parametrize("name", sorted(CATALOGUE))
def test_a_catalogued_mistake_is_named_in_the_catalogues_words_everywhere(name):
    """The same mistake gets the same name and wording in every lesson: a feedback that
    describes it (its signature) comes from the catalogue, and starts with its text. (The
    options of a multiple-choice question are claims to refute, not slips of computation:
    their feedback argues with the claim in its own words.)"""
    mistake = CATALOGUE[name]
    for q in (q for q in EXERCISES if q.kind != "choice"):
        for pair in q.misconceptions:
            feedback, source = pair[1], getattr(pair, "mistake", None)
            if source is mistake:
                assert feedback.startswith(mistake.text), f"{q.label}: {feedback!r}"
            elif mistake.describes(feedback):
                assert source is not None, (
                    f"{q.label}: {feedback!r} describes {mistake.name!r} in its own words: "
                    f"name it with _catalogue.{name}(wrong, detail)"
                )


def test_every_catalogued_mistake_is_named_somewhere():
    named = {getattr(pair, "mistake", None) for q in EXERCISES for pair in q.misconceptions}
    # named by the checker itself: a hedge, a letter that is no option (_kinds), and the
    # general detectors' mistakes (_detectors: rounding, factors, shapes, transforms, …)
    source = "".join(
        (Path(xl.exercises.__file__).parent / f).read_text() for f in ("_kinds.py", "_detectors.py")
    )
    by_the_checker = {m for n, m in CATALOGUE.items() if f"catalogue.{n}" in source}
    unused = [n for n, m in CATALOGUE.items() if m not in named | by_the_checker]
    assert not unused, f"catalogued but never named: {unused}"


def test_the_issues_mistakes_are_catalogued_and_shared():
    """Issue 22's list, each named by one entry, and the common ones in several lessons."""
    lessons = {}
    for q in EXERCISES:
        for pair in q.misconceptions:
            if getattr(pair, "mistake", None) is not None:
                lessons.setdefault(pair.mistake, set()).add(q.lesson)
    for name in ("BITS", "LOG10", "SUM", "EXTRA_N", "OVER_CLASSES", "NO_MINUS", "ONE_TERM",
                 "WRONG_CLASS", "DOUBLE_SOFTMAX", "CAPPED"):  # fmt: skip
        assert len(lessons.get(CATALOGUE[name], ())) >= 3, f"{name}: {lessons.get(CATALOGUE[name])}"
    for name in ("LOG_SOFTMAX", "INDEX_AS_ONEHOT", "EPS_IN_LOG", "UNWEIGHTED", "WEIGHTED_TOTAL",
                 "REVERSED_THRESHOLD", "SIGMOID_ON_PROBS", "ENTROPY_FOR", "PERCENT"):  # fmt: skip
        assert CATALOGUE[name] in lessons, f"{name} is named by no exercise"
