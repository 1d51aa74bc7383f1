"""Reviewing a draft of ``quiz generate``: each card beside the sentence it came from.

The screen works in the quiz app (from the home screen) and in the small app that
``quiz generate --review`` opens; it dismisses with the deck of the cards not dropped (``w``)
or with None (``q``). The review itself is ``quiz.generate.review.DraftReview``.
"""

from __future__ import annotations

from contextlib import nullcontext
from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.reactive import var
from textual.screen import Screen
from textual.widgets import Footer, Header, Static, TextArea

from quiz.editor import EditorRunner
from quiz.errors import DeckError, QuizError
from quiz.generate.review import DraftReview
from quiz.model import DeckFile
from quiz.tui.literal import literal
from quiz.tui.screens.confirm import ConfirmModal

__all__ = ["DraftReviewScreen"]


class DraftReviewScreen(Screen[DeckFile | None]):
    """One drafted card at a time: keep, drop, edit or change its kind, then write the deck."""

    HELP_TITLE = "Draft review"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("k,enter", "keep", "Keep", id="draft.keep"),
        Binding("d", "drop", "Drop", id="draft.drop"),
        Binding("e", "edit", "Edit", id="draft.edit"),
        Binding("E", "external_edit", "Editor", id="draft.external-edit"),
        Binding("t", "change_kind", "Kind", id="draft.change-kind"),
        Binding("left,p", "move(-1)", "Back", show=False, id="draft.previous"),
        Binding("right,n", "move(1)", "Next", show=False, id="draft.next"),
        Binding("a", "keep_rest", "Keep rest", show=False, id="draft.keep-rest"),
        Binding("w", "write", "Write", id="draft.write"),
        Binding(
            "escape", "cancel_edit", "Cancel edit", id="draft.cancel-edit"
        ),  # while editing; else escape quits
        Binding("q,escape", "leave", "Quit", id="draft.leave"),
        Binding("ctrl+s", "save_edit", "Apply edit", priority=True, id="draft.save-edit"),
    ]

    def __init__(
        self, review: DraftReview, editor: EditorRunner, *, headless: bool = False
    ) -> None:
        super().__init__()
        self.review = review
        self.editor = editor
        self.headless = headless
        self.index = 0

    def compose(self) -> ComposeResult:
        yield Header()
        with VerticalScroll(id="review-body"):
            yield Static(id="review-status", markup=False)
            yield Static(id="review-message", markup=False)
            yield Static(id="review-sentence", classes="panel", markup=False)
            yield Static(id="review-card", classes="panel", markup=False)
            yield TextArea(id="review-editor", language=None, soft_wrap=True)
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#review-sentence", Static).border_title = "From the text"
        self.query_one("#review-card", Static).border_title = "The card, as it will be written"
        self.query_one("#review-editor", TextArea).display = False
        self.show()

    # --- showing ------------------------------------------------------------------------

    editing = var(False, bindings=True)
    """A card is being edited inline (a flag, not a widget query: the footer asks for the
    bindings even while the screen is being taken down); the footer follows it."""

    def show(self, message: str = "") -> None:
        review = self.review
        kept, dropped, waiting = review.counts()
        if self.index >= len(review):
            status = Content.assemble(
                ("End of the draft. ", "bold"),
                f"{kept} kept, {dropped} dropped, {waiting} not reviewed. ",
                "w writes every card not dropped; left goes back; q quits without writing.",
            )
            self.query_one("#review-status", Static).update(status)
            self.query_one("#review-sentence", Static).display = False
            self.query_one("#review-card", Static).display = False
        else:
            item = review.items[self.index]
            source = item.card.source
            where = f" · paragraph {source.paragraph}" if source and source.paragraph else ""
            status = Content.assemble(
                (f"Card {self.index + 1} of {len(review)}", "bold"),
                f" · {item.card.kind}{where} · ",
                (item.status, "bold $warning" if item.kept is False else "bold"),
                f" · {kept} kept, {dropped} dropped",
            )
            self.query_one("#review-status", Static).update(status)
            sentence = self.query_one("#review-sentence", Static)
            sentence.display = bool(item.sentence)
            sentence.update(literal(item.sentence))
            card = self.query_one("#review-card", Static)
            card.display = not self.editing
            card.update(literal(review.card_text(self.index).removeprefix("[[cards]]\n")))
        self.query_one("#review-message", Static).update(literal(message))

    # --- actions ------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """While a card is edited inline only saving and cancelling apply; past the last card
        only moving back, writing and quitting do."""
        if self.editing:
            return action in ("save_edit", "cancel_edit")
        if action in ("save_edit", "cancel_edit"):
            return False
        if self.index >= len(self.review):
            return action in ("move", "write", "leave")
        return True

    def action_keep(self) -> None:
        self.review.keep(self.index)
        self.action_move(1)

    def action_drop(self) -> None:
        self.review.drop(self.index)
        self.action_move(1)

    def action_move(self, step: int) -> None:
        self.index = min(max(self.index + step, 0), len(self.review))
        self.show()

    def action_keep_rest(self) -> None:
        for i in range(self.index, len(self.review)):
            if self.review.items[i].kept is None:
                self.review.keep(i)
        self.index = len(self.review)
        self.show()

    def action_change_kind(self) -> None:
        kind = self.review.change_kind(self.index)
        self.show(f"Now a {kind} card." if kind else "This card cannot be another kind.")

    def action_edit(self) -> None:
        area = self.query_one("#review-editor", TextArea)
        area.text = self.review.edit_text(self.index)
        area.display = True
        self.editing = True
        self.query_one("#review-card", Static).display = False
        area.focus()
        self.show("Editing the card's TOML: ctrl+s applies it, escape cancels.")

    def action_save_edit(self) -> None:
        area = self.query_one("#review-editor", TextArea)
        try:
            self.review.edit(self.index, area.text)
        except DeckError as exc:
            self.show(str(exc))
            return
        self._close_editor()
        self.show("Edit applied; the card is kept.")

    def _close_editor(self) -> None:
        self.editing = False
        self.query_one("#review-editor", TextArea).display = False
        self.query_one("#review-card", Static).display = True
        self.set_focus(None)

    def action_external_edit(self) -> None:
        try:
            with nullcontext() if self.headless else self.app.suspend():
                self.review.edit_in(self.index, self.editor)
        except DeckError as exc:
            self.show(f"The edit was not applied:\n{exc}")
            return
        except QuizError as exc:
            self.show(f"The edit was not applied: {exc}")
            return
        self.show("Edit applied; the card is kept.")

    def action_write(self) -> None:
        deck = self.review.deck()
        if not deck.cards:
            self.show("Every card is dropped: there is nothing to write.")
            return
        self.dismiss(deck)

    def action_cancel_edit(self) -> None:
        self._close_editor()
        self.show("Edit cancelled.")

    def action_leave(self) -> None:
        kept, dropped, _ = self.review.counts()
        if not kept and not dropped:
            self.dismiss(None)
            return

        def answered(yes: bool | None) -> None:
            if yes:
                self.dismiss(None)

        question = Content("Quit the review without writing? What you kept and dropped is lost.")
        self.app.push_screen(ConfirmModal(question, yes="Quit"), answered)
