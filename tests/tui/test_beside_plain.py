"""The app and a ``quiz study --plain`` process studying one data dir at the same time, in
turns on the same cards: no error shown in either, and every answer kept, each built on the
other's."""

from __future__ import annotations

import asyncio
import os
import re
import sys
from asyncio.subprocess import PIPE
from pathlib import Path
from unittest.mock import patch

from conftest import AppFactory, Clock, Settle
from pilot_keys import open_first_deck

from quiz.config import Config, Limits
from quiz.storage import Store
from quiz.tui.screens.study import StudyScreen

CARDS = 8
RECORDED = re.compile(r"^recorded (\S+) side (\S+) 3$")


async def test_app_and_plain_process_share_a_data_dir(
    make_app: AppFactory, settle: Settle, quiz_home: Path, clock: Clock, tmp_path: Path
) -> None:
    quiz_home.mkdir(parents=True, exist_ok=True)
    (quiz_home / "config.toml").write_text('timezone = "UTC"\n[limits]\nnew_per_day = 100\n')
    deck = tmp_path / "side.toml"
    cards = "".join(f'[[cards]]\nfront = "q{n}"\nback = "a{n}"\n' for n in range(CARDS))
    deck.write_text(f'[deck]\nid = "side"\n[deck.study]\nnew_per_day = 100\n{cards}')
    app = make_app(deck, config=Config(timezone="UTC", limits=Limits(new_per_day=100)))
    env = {**os.environ, "QUIZ_HOME": str(quiz_home), "QUIZ_NOW": clock.now().isoformat()}
    plain_acks: dict[str, str] = {}
    with patch.object(app, "notify", wraps=app.notify) as notify:
        async with app.run_test(size=(80, 24)) as pilot:
            await open_first_deck(pilot, settle)
            screen = pilot.app.screen
            assert isinstance(screen, StudyScreen)
            proc = await asyncio.create_subprocess_exec(
                *(sys.executable, "-m", "quiz", "study", "--plain", str(deck)),
                stdin=PIPE,
                stdout=PIPE,
                stderr=PIPE,
                env=env,
            )
            assert proc.stdin is not None and proc.stdout is not None
            for _ in range(CARDS):  # in turns: the app answers a card, then the process does
                await pilot.press("space", "3")
                await settle(pilot)
                proc.stdin.write(b"\n3\n")
                line = b""
                while not (match := RECORDED.match(line.decode())):
                    line = await asyncio.wait_for(proc.stdout.readline(), timeout=60)
                    assert line, "the plain process ended early"
                plain_acks[match[1]] = match[2]
            assert screen.session is not None
            app_answers = screen.session.summary().studied
            _, err = await asyncio.wait_for(proc.communicate(b"q\n"), timeout=60)
    assert proc.returncode == 0 and err == b"", err
    errors = [c for c in notify.call_args_list if c.kwargs.get("severity") == "error"]
    assert errors == []
    assert app_answers == CARDS
    with Store.open(quiz_home, now=clock.now()) as store:
        log = {key: store.history("side", key) for key in store.card_keys("side")}
        assert store.integrity_problems() == []
    assert {r.id for h in log.values() for r in h} >= set(plain_acks)
    assert sorted(len(h) for h in log.values()) == [2] * CARDS  # one answer from each
    for history in log.values():  # the second answer built on the first, whoever gave it
        assert history[1].state_before == history[0].state_after
        assert history[1].state_after.reps == 2
