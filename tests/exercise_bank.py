"""The answer bank's shared parts: an Answer, and how the test files run and count them.

For every exercise: the course's answer and one unusual but right answer must
pass; at least three plausible wrong answers must fail, each with the message
that names its mistake (a regular expression).
"""

import re
from collections.abc import Callable
from dataclasses import dataclass

import pytest


@dataclass(frozen=True)
class Answer:
    exercise: str
    label: str
    check: Callable
    args: Callable  # () -> the arguments of the check, built fresh for each run
    hint: str | None = None  # None: must pass; else a regex the failure message must match
    note: str | None = None  # for a passing answer: a regex its printed output must match


def one(value):
    """The arguments of a check that takes one answer."""
    return lambda: (value,)


def params(answers):
    """``answers`` as pytest parameters, named "exercise label"."""
    return [pytest.param(a, id=f"{a.exercise} {a.label}") for a in answers]


def judge(answer, capsys):
    """Run ``answer``'s check: a right one prints 'Correct', a wrong one fails with its hint."""
    if answer.hint is None:
        answer.check(*answer.args())
        out = capsys.readouterr().out
        assert out.startswith("Correct"), out
        assert answer.note is None or re.search(answer.note, out), out
    else:
        with pytest.raises(AssertionError, match=answer.hint):
            answer.check(*answer.args())


def assert_covers(answers, exercises):
    """Each of ``exercises`` has at least two right and three wrong answers, and no other."""
    assert sorted({a.exercise for a in answers}) == sorted(exercises)
    for e in exercises:
        here = [a for a in answers if a.exercise == e]
        assert sum(a.hint is None for a in here) >= 2, e
        assert sum(a.hint is not None for a in here) >= 3, e


def bank_tests(answers, exercises):
    """The two tests of one notebook's bank: each answer judged, and the exercises covered."""

    @pytest.mark.parametrize("answer", params(answers))
    def test_answer(answer, capsys):
        judge(answer, capsys)

    def test_every_exercise_has_two_right_and_three_wrong_answers():
        assert_covers(answers, exercises)

    return test_answer, test_every_exercise_has_two_right_and_three_wrong_answers
