"""Answer pads: how the learner answers a self-grading question (typed, choice, true/false, order).

Study and exam screens share them. A pad owns the keys of its question while it has focus
(digits pick options, ``t``/``f`` judge, arrows move items) and posts ``AnswerPad.Answered``
with a response in the exam engine's shape: typed text, a bool, an option index, or indices.
Once answered it is disabled, so its keys fall through to the screen (digits then rate), and
``show_result`` marks what was right and wrong.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.events import Click
from textual.message import Message
from textual.reactive import var
from textual.widgets import Button, Input, Static

from quiz.grading import DiffSpan, Grade
from quiz.tui.literal import literal

__all__ = [
    "AnswerPad",
    "ChoicePad",
    "OrderPad",
    "TrueFalsePad",
    "TypedPad",
    "diff_content",
    "make_pad",
]

Response = str | bool | int | Sequence[int]


class AnswerPad(Vertical):
    """A question's answering widget; posts ``Answered`` once."""

    can_focus = True

    @dataclass
    class Answered(Message):
        """The learner gave an answer."""

        pad: AnswerPad
        response: Response

    def answer(self, response: Response) -> None:
        """Give the answer (once) and hand the keys back to the screen."""
        if self.disabled:
            return
        self.disabled = True
        self.post_message(self.Answered(self, response))

    def show_result(self, grade: Grade, right: Sequence[str]) -> None:
        """Mark what was right and wrong; ``right`` is the right options, order or truth."""


class _Row(Static):
    """One option or item of a pad; clicking it acts on that row."""

    @dataclass
    class Clicked(Message):
        row: _Row

    def __init__(self, text: str, index: int) -> None:
        super().__init__(markup=False)
        self.text = text
        self.index = index
        self.marker = ""

    def set_label(self, marker: str, verdict: str = "") -> None:
        """Show the row's number (and mark), its text and, once graded, ✓ or ✗."""
        self.marker = marker
        self.update(Content.assemble((f"{marker} ", "bold"), literal(self.text), (verdict, "bold")))

    def judge(self, right: bool | None) -> None:
        """Mark the row right (✓), wrong (✗) or neither (None), in colour and in text."""
        self.set_class(right is True, "-right")
        self.set_class(right is False, "-wrong")
        self.set_label(self.marker, {True: "  ✓", False: "  ✗", None: ""}[right])

    def on_click(self, event: Click) -> None:
        event.stop()
        self.post_message(self.Clicked(self))


class ChoicePad(AnswerPad):
    """Numbered options: a digit answers a single-answer question; several, then Enter."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *[
            Binding(str(n), f"pick({n})", "Choose", show=False, id=f"choice.pick-{n}")
            for n in range(1, 10)
        ],
        Binding("enter", "submit", "Submit", id="choice.submit"),
    ]

    chosen: var[tuple[int, ...]] = var((), bindings=True)
    """The options picked so far; Submit appears once one is."""

    def __init__(self, options: Sequence[str], *, multiple: bool = False) -> None:
        super().__init__(classes="pad")
        self.options = list(options)
        self.multiple = multiple

    def compose(self) -> ComposeResult:
        hint = (
            "Several answers: toggle them with their numbers, then Enter."
            if self.multiple
            else "Answer with the option's number."
        )
        yield Static(hint, classes="hint")
        for index, option in enumerate(self.options):
            row = _Row(option, index)
            row.add_class("option")
            yield row

    def on_mount(self) -> None:
        self._relabel()

    def _relabel(self) -> None:
        for row in self.query(_Row):
            number = row.index + 1
            mark = ("[x]" if row.index in self.chosen else "[ ]") if self.multiple else ""
            row.set_label(f"{number if number < 10 else ' '} {mark}".rstrip())
            row.set_class(row.index in self.chosen, "-chosen")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "submit":
            return self.multiple and bool(self.chosen)
        if action == "pick":
            return int(str(parameters[0])) <= len(self.options)
        return True

    def action_pick(self, number: int) -> None:
        self._pick(number - 1)

    def _pick(self, index: int) -> None:
        if self.disabled or not 0 <= index < len(self.options):
            return
        if not self.multiple:
            self.chosen = (index,)
            self.answer(index)
            return
        if index in self.chosen:
            self.chosen = tuple(i for i in self.chosen if i != index)
        else:
            self.chosen = (*self.chosen, index)

    def watch_chosen(self) -> None:
        self._relabel()

    def action_submit(self) -> None:
        if self.chosen:
            self.answer(sorted(self.chosen))

    @on(_Row.Clicked)
    def _clicked(self, event: _Row.Clicked) -> None:
        self._pick(event.row.index)

    def show_result(self, grade: Grade, right: Sequence[str]) -> None:
        for row in self.query(_Row):
            if row.text in right:
                row.judge(True)
            else:
                row.judge(False if row.index in self.chosen else None)


class TrueFalsePad(AnswerPad):
    """True or false, with ``t``/``f`` or the two buttons."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("t", "judge(True)", "True", id="truefalse.true"),
        Binding("f", "judge(False)", "False", id="truefalse.false"),
    ]

    def __init__(self) -> None:
        super().__init__(classes="pad")
        self.given: bool | None = None

    def compose(self) -> ComposeResult:
        with Horizontal(classes="tf-buttons"):
            yield Button(Content.assemble(("t ", "bold"), "True"), id="tf-true", compact=True)
            yield Button(Content.assemble(("f ", "bold"), "False"), id="tf-false", compact=True)

    def action_judge(self, value: bool) -> None:
        if not self.disabled:
            self.given = value
            self.answer(value)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_judge(event.button.id == "tf-true")

    def show_result(self, grade: Grade, right: Sequence[str]) -> None:
        truth = [r.lower() for r in right] == ["true"]
        for value, button in (
            (True, self.query_one("#tf-true", Button)),
            (False, self.query_one("#tf-false", Button)),
        ):
            ok = value == truth
            button.set_class(ok, "-right")
            button.set_class(not ok and self.given == value, "-wrong")
            mark = "  ✓" if ok else ("  ✗" if self.given == value else "")
            button.label = Content.assemble(("t " if value else "f ", "bold"), str(value), mark)


class OrderPad(AnswerPad):
    """Items to put in order: up/down select, shift+up/down or [ ] move, Enter submits."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "cursor(-1)", "Select", show=False, id="order.up"),
        Binding("down,j", "cursor(1)", "Select", show=False, id="order.down"),
        Binding(
            "shift+up,left_square_bracket", "move(-1)", "Move up", show=False, id="order.move-up"
        ),
        Binding(
            "shift+down,right_square_bracket",
            "move(1)",
            "Move down",
            show=False,
            id="order.move-down",
        ),
        Binding("enter", "submit", "Submit", id="order.submit"),
    ]

    def __init__(self, items: Sequence[str]) -> None:
        super().__init__(classes="pad")
        self.items = list(items)
        self.order = list(range(len(self.items)))
        self.cursor = 0

    def compose(self) -> ComposeResult:
        yield Static("Put these in order: ↑↓ select, ⇧↑⇧↓ or [ ] move, Enter.", classes="hint")
        for position in range(len(self.items)):
            row = _Row("", position)
            row.add_class("option")
            yield row

    def on_mount(self) -> None:
        self._redraw()

    def _redraw(self) -> None:
        for row in self.query(_Row):
            row.text = self.items[self.order[row.index]]
            row.set_label(f"{row.index + 1:>2}.")
            row.set_class(row.index == self.cursor and not self.disabled, "-cursor")

    def action_cursor(self, step: int) -> None:
        self.cursor = max(0, min(len(self.items) - 1, self.cursor + step))
        self._redraw()

    def action_move(self, step: int) -> None:
        target = self.cursor + step
        if 0 <= target < len(self.order):
            self.order[self.cursor], self.order[target] = (
                self.order[target],
                self.order[self.cursor],
            )
            self.cursor = target
            self._redraw()

    def action_submit(self) -> None:
        self.answer(list(self.order))
        self._redraw()

    @on(_Row.Clicked)
    def _clicked(self, event: _Row.Clicked) -> None:
        if not self.disabled:
            self.cursor = event.row.index
            self._redraw()

    def show_result(self, grade: Grade, right: Sequence[str]) -> None:
        for row in self.query(_Row):
            row.judge(row.index < len(right) and right[row.index] == row.text)


class TypedPad(AnswerPad):
    """An input line; Enter answers (an empty answer counts as not knowing).

    While it has focus, letters go into it; Escape leaves it so the screen's keys (undo, bury,
    suspend...) work again, and Tab comes back.
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "leave", "Leave box", id="typed.leave"),
    ]

    def __init__(self, *, blink: bool = True) -> None:
        super().__init__(classes="pad")
        self.blink = blink

    can_focus = False

    def compose(self) -> ComposeResult:
        field = Input(placeholder="Type the answer, then Enter", id="typed-input")
        field.cursor_blink = self.blink
        yield field

    def focus(self, scroll_visible: bool = True) -> TypedPad:
        self.query_one(Input).focus(scroll_visible)
        return self

    def action_leave(self) -> None:
        self.screen.set_focus(None)

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.answer(event.value)

    def show_result(self, grade: Grade, right: Sequence[str]) -> None:
        field = self.query_one(Input)
        field.display = False
        self.mount(Static(diff_content(grade), classes="diff", markup=False))


def diff_content(grade: Grade) -> Content:
    """The typed answer above the expected one, differences marked in both."""
    given = [Content.styled("yours     ", "dim")]
    expected = [Content.styled("expected  ", "dim")]
    spans: Sequence[DiffSpan] = grade.diff
    if not spans:
        given.append(literal(grade.given or "(nothing)", "" if grade.given else "italic dim"))
        expected.append(literal(grade.expected))
    for span in spans:
        if span.op == "equal":
            given.append(literal(span.given))
            expected.append(literal(span.expected))
            continue
        if span.given:
            given.append(literal(span.given, "bold reverse $text-error"))
        if span.expected:
            expected.append(literal(span.expected, "bold reverse $text-success"))
        # Keep the two lines aligned where one side has nothing.
        pad = len(span.expected) - len(span.given)
        if pad > 0:
            given.append(Content.styled("·" * pad, "$text-error"))
        elif pad < 0:
            expected.append(Content.styled("·" * -pad, "$text-success"))
    return Content("\n").join([Content.assemble(*given), Content.assemble(*expected)])


def make_pad(kind: str, options: Sequence[str], *, multiple: bool, blink: bool) -> AnswerPad:
    """The pad for a question kind (``typed``, ``choice``, ``truefalse``, ``order``)."""
    if kind == "choice":
        return ChoicePad(options, multiple=multiple)
    if kind == "order":
        return OrderPad(options)
    if kind == "truefalse":
        return TrueFalsePad()
    return TypedPad(blink=blink)
