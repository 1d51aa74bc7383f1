"""Decks changing while the app runs: the study session goes on with the cards it has, and the
home screen reloads the library when the learner comes back, saying what changed."""

from __future__ import annotations

import os
from pathlib import Path
from unittest.mock import patch

from textual.widgets import Static

from quiz.tui.screens.home import HomeScreen
from quiz.tui.screens.study import StudyScreen


def write_deck(folder: Path, deck_id: str, cards: int, *, text: str = "q") -> Path:
    body = "".join(
        f'[[cards]]\nid = "c{n}"\nfront = "{text}{n}"\nback = "a{n}"\n' for n in range(cards)
    )
    path = folder / f"{deck_id}.toml"
    path.write_text(f'[deck]\nid = "{deck_id}"\ntitle = "Deck {deck_id}"\n{body}')
    stat = path.stat()  # a later mtime, even on a coarse file system clock
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    return path


async def test_decks_edited_deleted_and_broken_while_studying(
    make_app, settle, tmp_path: Path, store
) -> None:
    decks = tmp_path / "decks"
    decks.mkdir()
    write_deck(decks, "a", 3)  # studied, and edited meanwhile
    write_deck(decks, "b", 1)  # deleted meanwhile
    write_deck(decks, "c", 1)  # broken meanwhile
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
                    write_deck(decks, "a", 2, text="edited ")
                    (decks / "b.toml").unlink()
                    (decks / "c.toml").write_text("[deck\n")
                    write_deck(decks, "d", 1)
                await pilot.press("space", "4")
                await settle(pilot)
            assert prompts == ["q0", "q1", "q2"]  # the session kept the cards it had
            assert not notify.call_args_list  # and nobody interrupted it

            while not isinstance(app.screen, HomeScreen):  # the summary, then home
                await pilot.press("escape")
                await settle(pilot)
            await settle(pilot)
            assert [d.id for d in app.library.decks] == ["a", "d"]
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
    assert db.review_count() == 3
