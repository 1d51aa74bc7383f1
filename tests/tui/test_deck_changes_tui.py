"""Decks changing while the app runs: the study session goes on with the cards it has, and the
home screen reloads the library when the learner comes back, saying what changed."""

from __future__ import annotations

from pathlib import Path
from unittest.mock import patch

from conftest import AppFactory, EditorSpy, Settle, StoreOpener
from helpers import review_count, write_deck
from pilot_keys import open_first_deck
from textual.widgets import Static

from quiz.paths import bundled_decks_dir
from quiz.tui.app import QuizApp
from quiz.tui.screens.confirm import ConfirmModal
from quiz.tui.screens.home import HomeScreen
from quiz.tui.screens.relink import RelinkModal
from quiz.tui.screens.study import StudyScreen


async def test_decks_edited_deleted_and_broken_while_studying(
    make_app: AppFactory, settle: Settle, tmp_path: Path, store: StoreOpener
) -> None:
    decks = tmp_path / "decks"
    decks.mkdir()
    write_deck(decks, "a", 3, later=True)  # studied, and edited meanwhile
    write_deck(decks, "b", 1, later=True)  # deleted meanwhile
    write_deck(decks, "c", 1, later=True)  # broken meanwhile
    app = make_app(decks)
    with patch.object(app, "notify", wraps=app.notify) as notify:
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            home = app.screen
            assert isinstance(home, HomeScreen)
            await pilot.press("down", "enter")  # "All decks", then deck a
            await settle(pilot)
            study = app.screen
            assert isinstance(study, StudyScreen) and [d.id for d in study.decks] == ["a"]

            prompts = []
            for step in range(3):
                prompts.append(str(study.query_one("#prompt", Static).render()))
                if step == 0:  # the files change under the running session
                    write_deck(decks, "a", 2, text="edited ", later=True)
                    (decks / "b.toml").unlink()
                    (decks / "c.toml").write_text("[deck\n")
                    write_deck(decks, "d", 1, later=True)
                await pilot.press("space", "4")
                await settle(pilot)
            assert prompts == ["q0", "q1", "q2"]  # the session kept the cards it had
            assert not notify.call_args_list  # and nobody interrupted it

            while not isinstance(app.screen, HomeScreen):  # the summary, then home
                await pilot.press("escape")
                await settle(pilot)
            await settle(pilot)
            assert [d.id for d in app.library.decks] == ["a", "d"]
            assert home.overview is not None
            assert [d.title for d in home.overview.decks] == ["Deck a", "Deck d"]
            failures = str(home.query_one("#failures-list", Static).render())
            assert f"{decks / 'c.toml'}:1: TOML syntax" in failures
    reloaded = [c for c in notify.call_args_list if c.kwargs.get("title") == "Decks reloaded"]
    assert len(reloaded) == 1
    assert reloaded[0].args[0].splitlines() == [
        "'Deck d' is new",
        "'Deck a' was edited",
        "'Deck b' is gone; its progress is kept",
        "'Deck c' no longer loads (see the problems); its progress is kept",
    ]
    db = store()
    assert set(db.states_for_deck("a")) == {"c0", "c1", "c2"}  # c2 is gone from the file
    assert review_count(db) == 3


async def _answer_yes(app: QuizApp, settle: Settle) -> str:
    """Start studying, say yes to the question asked over the first card; what it asked."""
    async with app.run_test(size=(100, 30)) as pilot:
        await open_first_deck(pilot, settle)
        modal = app.screen
        assert isinstance(modal, ConfirmModal | RelinkModal)
        shown = str(modal.query_one(Static).render())
        await pilot.press("y")
        await settle(pilot)
        assert isinstance(app.screen, StudyScreen)  # asked once, then studying goes on
    return shown


async def test_the_app_asks_whether_a_doubtful_edit_is_the_card_studied_before(
    make_app: AppFactory, settle: Settle, tmp_path: Path, store: StoreOpener
) -> None:
    deck = tmp_path / "plays.toml"
    deck.write_text('[deck]\nid = "plays"\n[[cards]]\nfront = "Who wrote Hamlet?"\nback = "Bard"\n')
    async with make_app(deck).run_test(size=(100, 30)) as pilot:
        await open_first_deck(pilot, settle)
        await pilot.press("space", "3")
        await settle(pilot)
    deck.write_text(deck.read_text().replace("Who wrote Hamlet?", "Hamlet: its author?"))
    app = make_app(deck)
    shown = await _answer_yes(app, settle)
    assert "Who wrote Hamlet?" in shown and "Hamlet: its author?" in shown
    db = store()
    [item] = app.library.decks[0].items
    assert len(db.history("plays", item.key)) == 1  # the edited card kept its one answer


async def test_the_home_screen_asks_about_doubtful_edits_of_every_deck(
    make_app: AppFactory, settle: Settle, tmp_path: Path, store: StoreOpener
) -> None:
    """Without opening a deck: ``L`` asks about each pair in turn; y links, n keeps apart for
    good, Escape leaves it for later."""
    decks = tmp_path / "decks"
    decks.mkdir()
    cards = "".join(
        f'[[cards]]\nfront = "Who wrote {play}?"\nback = "{who}"\n'
        for play, who in (("Hamlet", "Bard"), ("Faust", "Goethe"), ("Phèdre", "Racine"))
    )
    (decks / "plays.toml").write_text('[deck]\nid = "plays"\n' + cards)
    async with make_app(decks).run_test(size=(100, 30)) as pilot:
        await open_first_deck(pilot, settle)
        for _ in range(3):
            await pilot.press("space", "3")
            await settle(pilot)
    text = (decks / "plays.toml").read_text()
    for play in ("Hamlet", "Faust", "Phèdre"):
        text = text.replace(f"Who wrote {play}?", f"{play}: its author?")
    (decks / "plays.toml").write_text(text)
    app = make_app(decks)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        home = app.screen
        assert isinstance(home, HomeScreen)
        today = str(home.query_one("#home-today", Static).render())
        assert "3 edited cards may be ones you studied before" in today
        await pilot.press("L")
        shown = []
        for key in ("y", "n", "escape"):
            await settle(pilot)
            modal = app.screen
            assert isinstance(modal, RelinkModal)
            shown.append(str(modal.query_one(Static).render()))
            await pilot.press(key)
            await settle(pilot)
        assert isinstance(app.screen, HomeScreen)
        assert ["1 of 3" in shown[0], "2 of 3" in shown[1], "3 of 3" in shown[2]] == [True] * 3
        await settle(pilot)
        today = str(home.query_one("#home-today", Static).render())
        assert "1 edited card may be one you studied before" in today  # the one left for later
    db = store()
    history = {i.prompt: len(db.history("plays", i.key)) for i in app.library.decks[0].items}
    linked = [p for p, n in history.items() if n]
    assert len(linked) == 1 and len(db.kept_apart("plays")) == 1


async def test_editing_a_bundled_deck_edits_a_copy_in_the_learners_folder(
    make_app: AppFactory, settle: Settle, quiz_home: Path, editor: EditorSpy
) -> None:
    bundled = bundled_decks_dir() / "israel-mediation-2022.toml"
    shipped = bundled.read_bytes()

    def edit(path: Path) -> None:
        path.write_text(path.read_text().replace("Bennett", "Bennett!", 1))

    editor.edit = edit
    app = make_app(default_decks=True)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_first_deck(pilot, settle)
        await pilot.press("E")
        await settle(pilot)
        [(path, _)] = editor.calls
        assert path == quiz_home / "decks" / bundled.name
        assert bundled.read_bytes() == shipped  # the installed deck is never touched
        [deck] = app.library.decks
        assert deck.path == path and deck.id == "israel-mediation-2022"  # one deck, the copy


async def test_the_app_offers_a_renamed_deck_its_old_progress(
    make_app: AppFactory, settle: Settle, tmp_path: Path, store: StoreOpener
) -> None:
    decks = tmp_path / "decks"
    decks.mkdir()
    (decks / "old.toml").write_text('[[cards]]\nfront = "q0"\nback = "a0"\n')
    async with make_app(decks).run_test(size=(100, 30)) as pilot:
        await open_first_deck(pilot, settle)
        await pilot.press("space", "4")
        await settle(pilot)
    (decks / "old.toml").rename(decks / "new.toml")
    (decks / "new.toml").write_text(
        '[[cards]]\nfront = "q0"\nback = "a0"\n[[cards]]\nfront = "q1"\nback = "a1"\n'
    )
    app = make_app(decks)
    shown = await _answer_yes(app, settle)
    assert "new has 1 of the 1 cards you studied in old" in shown
    assert len(store().history("new", app.library.decks[0].items[0].key)) == 1
