"""Home screen: deck counts, decks that fail to load, help, command palette, quitting."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest
from conftest import AppFactory, Settle, StoreOpener
from textual.widgets import DataTable, Static

from quiz.config import Config
from quiz.model import StudySettings
from quiz.tui.screens.help import HelpModal, binding_ids
from quiz.tui.screens.home import HomeScreen
from quiz.tui.screens.study import StudyScreen


async def test_home_lists_decks_with_counts_and_failures(
    make_app: AppFactory, settle: Settle, tmp_path: Path
) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('[deck]\ntitle = "Broken"\n\n[[cards]]\nfornt = "typo"\nback = "x"\n')
    async with make_app("every-kind.toml", "hostile.toml", bad).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        home = pilot.app.screen
        assert isinstance(home, HomeScreen)
        assert home.overview is not None
        counts = {d.deck_id: (d.new, d.learning, d.due) for d in home.overview.decks}
        assert counts == {"every-kind": (7, 0, 0), "hostile": (3, 0, 0)}
        table = home.query_one("#decks", DataTable)
        assert table.row_count == 3  # "All decks" and the two decks
        failures = str(home.query_one("#failures-list", Static).render())
        assert f"{bad}:5:" in failures and "fornt" in failures
        today = str(home.query_one("#home-today", Static).render())
        assert "0 due, 10 new, 0 learning" in today


async def test_enter_studies_the_selected_deck(make_app: AppFactory, settle: Settle) -> None:
    async with make_app("every-kind.toml", "hostile.toml").run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("down", "down", "enter")  # All decks, every-kind, hostile
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, StudyScreen)
        assert [d.id for d in screen.decks] == ["hostile"]


async def test_help_lists_the_keys_of_every_screen(make_app: AppFactory, settle: Settle) -> None:
    async with make_app().run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(pilot.app.screen, HelpModal)
        text = "\n".join(str(s.render()) for s in pilot.app.screen.query(".help-keys"))
        for description in ("Study", "Show answer", "Again", "Undo", "Bury", "Suspend", "Edit"):
            assert description in text
        for key in ("space", "-", "!", "E", "?"):
            assert key in text
        await pilot.press("escape")
        assert isinstance(pilot.app.screen, HomeScreen)


async def test_command_palette_studies_a_deck(make_app: AppFactory, settle: Settle) -> None:
    async with make_app().run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        for key in "study every":
            await pilot.press("space" if key == " " else key)
        await settle(pilot)
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(pilot.app.screen, StudyScreen)


async def test_q_quits(make_app: AppFactory, settle: Settle) -> None:
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("q")
        await pilot.pause()
    assert not app.is_running


async def test_study_command_opens_the_named_deck_by_id(
    make_app: AppFactory, settle: Settle, quiz_home: Path
) -> None:
    (quiz_home / "decks").mkdir(parents=True)
    shutil.copytree(Path(__file__).parent / "decks", quiz_home / "decks", dirs_exist_ok=True)
    app = make_app(default_decks=True, command="study")
    app.start = replace(app.start, deck_ids=("hostile", "nonesuch"))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = pilot.app.screen
        assert isinstance(screen, StudyScreen)
        assert [d.id for d in screen.decks] == ["hostile"]
        await pilot.press("escape")
        await settle(pilot)
        home = pilot.app.screen
        assert isinstance(home, HomeScreen)
        failures = str(home.query_one("#failures-list", Static).render())
        assert "nonesuch: no deck with this id or path" in failures


async def test_a_storage_failure_in_a_worker_is_reported_not_fatal(
    make_app: AppFactory, settle: Settle, monkeypatch: pytest.MonkeyPatch
) -> None:
    from quiz import session
    from quiz.errors import StorageError

    def locked(*args: object, **kwargs: object) -> None:
        raise StorageError("progress.db stayed busy for 10 s (another quiz is writing to it?)")

    monkeypatch.setattr(session, "deck_overview", locked)
    app = make_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert app.is_running
        messages = [n.message for n in app._notifications]
        assert any("stayed busy" in m for m in messages)


async def test_custom_study_from_the_home_screen(make_app: AppFactory, settle: Settle) -> None:
    from quiz.custom import CustomStudy
    from quiz.tui.screens.custom import CustomStudyModal

    async with make_app("every-kind.toml").run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        await pilot.press("c")
        await settle(pilot)
        assert isinstance(pilot.app.screen, CustomStudyModal)
        await pilot.press("2", "enter")  # forgotten cards: none yet
        await settle(pilot)
        assert isinstance(pilot.app.screen, HomeScreen)
        assert any("no card was forgotten" in n.message for n in pilot.app._notifications)
        await pilot.press("c", "4")  # more new cards: a number is asked for
        await settle(pilot)
        await pilot.press("ctrl+u", "x", "enter")
        await settle(pilot)
        modal = pilot.app.screen
        assert isinstance(modal, CustomStudyModal)
        assert "'x' is not a whole number" in str(modal.query_one("#custom-error", Static).render())
        await pilot.press("ctrl+u", "3", "enter")
        await settle(pilot)
        study = pilot.app.screen
        assert isinstance(study, StudyScreen)
        assert study.custom == CustomStudy(extra_new=3)
        assert study.card is not None and study.card.source == "new"
        await pilot.press("escape")
        await settle(pilot)
        await pilot.press("c", "escape")
        await settle(pilot)
        assert isinstance(pilot.app.screen, HomeScreen)


async def test_own_keys_and_theme_from_the_settings(
    make_app: AppFactory, settle: Settle, store: StoreOpener
) -> None:
    """``[keys]`` gives an action other keys (the help shows them); ``theme`` is applied."""
    config = Config(
        timezone="UTC",
        study=StudySettings(fuzz=False),
        keys={"study.undo": "z", "study.reveal": "space,j"},
        theme="nord",
    )
    async with make_app(config=config).run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert pilot.app.theme == "nord"
        await pilot.press("enter")
        await settle(pilot)
        await pilot.press("j", "4")
        await settle(pilot)
        await pilot.press("u")  # no longer undo
        await settle(pilot)
        assert [r.undone for r in store().history("every-kind", "capital")] == [False]
        await pilot.press("z")
        await settle(pilot)
        assert [r.undone for r in store().history("every-kind", "capital")] == [True]
        await pilot.press("question_mark")
        await pilot.pause()
        text = "\n".join(str(s.render()) for s in pilot.app.screen.query(".help-keys"))
        undo = next(line for line in text.splitlines() if "Undo" in line and "study.undo" in line)
        assert undo.split()[0] == "z"


async def test_unknown_keys_and_theme_are_named_not_fatal(
    make_app: AppFactory, settle: Settle
) -> None:
    config = Config(timezone="UTC", keys={"study.undoo": "z"}, theme="nordd")
    app = make_app(config=config)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert isinstance(pilot.app.screen, HomeScreen)
        messages = "\n".join(str(n.message) for n in app._notifications)
        assert "'study.undoo' is no binding (did you mean 'study.undo'?)" in messages
        assert "theme 'nordd' is not a theme (did you mean 'nord'?)" in messages
        assert pilot.app.theme != "nordd"


def test_the_readme_lists_every_binding_id() -> None:
    """The README's list is how a learner finds the id to remap: it must not fall behind."""
    readme = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")
    missing = [bid for bid in binding_ids() if f"`{bid}`" not in readme]
    assert not missing, missing
