"""``quiz study --plain`` from a pipe, ``quiz decks`` and ``quiz orphans``."""

from __future__ import annotations

import os
import re
import sqlite3
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from quiz.cli import main
from quiz.storage import db_path

NOW = "2024-03-04T09:00:00+00:00"
RECORDED = re.compile(r"^recorded (\S+) (\S+) (\S+) ([1-4])$", re.MULTILINE)
UNDONE = re.compile(r"^undone (\S+) ", re.MULTILINE)


def write_deck(home: Path, cards: int = 3, *, body: str = "") -> Path:
    lines = ['[deck]\nid = "t"\ntitle = "Test"\n[deck.study]\nfuzz = false\n']
    lines += [f'[[cards]]\nfront = "q{i}"\nback = "a{i}"\n' for i in range(cards)]
    path = home / "t.toml"
    path.write_text("".join(lines) + body, encoding="utf-8")
    return path


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    (tmp_path / "config.toml").write_text('timezone = "UTC"\n', encoding="utf-8")
    monkeypatch.setenv("QUIZ_HOME", str(tmp_path))
    monkeypatch.setenv("QUIZ_NOW", NOW)
    return tmp_path


def start(home: Path, *args: str) -> subprocess.Popen[str]:
    env = {**os.environ, "QUIZ_HOME": str(home), "QUIZ_NOW": NOW, "PYTHONIOENCODING": "utf-8"}
    return subprocess.Popen(
        [sys.executable, "-m", "quiz", *args],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def logged(home: Path) -> dict[str, int]:
    with sqlite3.connect(db_path(home)) as conn:
        return dict(conn.execute("SELECT id, undone FROM review_log").fetchall())


def test_plain_study_from_a_pipe_records_exactly_what_it_prints(home: Path) -> None:
    deck = write_deck(home)
    # reveal+Good, reveal+Again, undo (the Again), reveal+Easy, then input ends mid-card.
    proc = start(home, "study", "--plain", str(deck))
    out, err = proc.communicate("\n3\n\n1\nu\n\n4\n\n", timeout=60)
    assert proc.returncode == 0, err
    recorded = RECORDED.findall(out)
    undone = UNDONE.findall(out)
    assert [r[3] for r in recorded] == ["3", "1", "4"]
    assert undone == [recorded[1][0]]
    assert logged(home) == {r[0]: int(r[0] in undone) for r in recorded}
    assert out.count("Q: q0") == 1 and "A: a0" in out
    assert "summary: studied 2 · correct 2 · again 0" in out


def test_two_processes_at_once_lose_nothing(home: Path) -> None:
    deck = write_deck(home, cards=15)
    procs = [start(home, "study", "--plain", str(deck)) for _ in range(2)]
    outputs = ["", ""]

    def read_until(n: int, prefix: str) -> None:
        stdout = procs[n].stdout
        assert stdout is not None
        while line := stdout.readline():
            outputs[n] += line
            if line.startswith(prefix):
                return

    for n in (0, 1):
        read_until(n, "today:")  # both have built their queues before either answers
    for _ in range(12):  # in turns: both answer the same cards, each on the other's answer
        for n, proc in enumerate(procs):
            assert proc.stdin is not None
            proc.stdin.write("\n3\n")
            proc.stdin.flush()
            read_until(n, "recorded ")
    for n, proc in enumerate(procs):
        out, err = proc.communicate("\n3\n" * 10, timeout=60)  # and the rest at once
        assert proc.returncode == 0, err
        outputs[n] += out
    recorded = [r for out in outputs for r in RECORDED.findall(out)]
    both = [{r[2] for r in RECORDED.findall(out)} for out in outputs]
    assert both[0] & both[1]  # the same cards were answered by both
    assert logged(home) == {r[0]: 0 for r in recorded}
    answers_per_card = Counter(r[2] for r in recorded)
    with sqlite3.connect(db_path(home)) as conn:
        reps = dict(conn.execute("SELECT card_key, reps FROM card_state").fetchall())
    # Every answer of either process built on the one before it: none was overwritten.
    assert reps == dict(answers_per_card)


def test_plain_study_shows_each_kind_and_neutralises_escapes(
    home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    body = (
        '[[cards]]\nquestion = "Pick \\u001b[2J"\nanswer = "x"\ndistractors = ["y"]\n'
        'explanation = "because"\n'
        '[[cards]]\nstatement = "true?"\ntrue = true\n'
        '[[cards]]\nprompt = "Capital of France?"\nanswer = "Paris"\n'
    )
    deck = write_deck(home, cards=0, body=body)
    # 9: no such option; 1 2: two options of a one-answer card; 1: "y", shown first, wrong.
    monkeypatch.setattr(sys, "stdin", _Lines("9\n1 2\n1\n\nt\n2\nPariss\n\nq\n"))
    assert main(["study", "--plain", str(deck)]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "Pick ␛[2J" in out
    assert "? there are only 2 options" in out and "? one answer is right" in out
    assert "  1) y\n" in out
    assert "Wrong. answer: x" in out and "why: because" in out
    assert re.search(r"^recorded \S+ t truefalse-\S+ 2$", out, re.MULTILINE)
    assert "Almost" in out and "suggested: 2 Hard" in out


class _Lines:
    """A stdin that is not a terminal."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines(keepends=True)

    def readline(self) -> str:
        return self.lines.pop(0) if self.lines else ""

    def isatty(self) -> bool:
        return False


def test_decks_lists_counts(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    deck = write_deck(home, cards=25)
    assert main(["decks", str(deck)]) == 0
    out = capsys.readouterr().out
    assert re.search(r"^t\s+Test\s+20\s+0\s+0\s+-$", out, re.MULTILINE), out


def test_unknown_deck_is_a_readable_error(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["study", "--plain", "nosuchdeck"]) == 2
    assert "no deck 'nosuchdeck'" in capsys.readouterr().err


def test_edited_card_keeps_history_and_orphans_can_be_pruned(
    home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    deck = write_deck(home, cards=2)
    monkeypatch.setattr(sys, "stdin", _Lines("\n3\n\n3\nq\n"))
    assert main(["study", "--plain", str(deck)]) == 0
    capsys.readouterr()
    text = deck.read_text(encoding="utf-8")
    deck.write_text(
        text.replace('front = "q0"', 'front = "q0!"').replace('front = "q1"', 'front = "x"'),
        encoding="utf-8",
    )
    # The deck was studied by path: it is in the library from then on, for every command.
    assert main(["orphans", "--data-dir", str(home)]) == 0
    out = capsys.readouterr().out
    assert "relinked t basic-" in out and "'q0!'" in out and "(deck not found)" not in out
    monkeypatch.setattr(sys, "stdin", _Lines("y\n"))
    assert main(["orphans", "--prune"]) == 0
    out = capsys.readouterr().out
    assert "q1" in out and "deleted 1 log entries of 1 card(s)" in out
    with sqlite3.connect(db_path(home)) as conn:
        keys = {k for (k,) in conn.execute("SELECT card_key FROM review_log")}
    assert len(keys) == 1


def test_a_damaged_progress_file_is_reported_not_overwritten(
    home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    deck = write_deck(home)
    db_path(home).write_bytes(b"\x00garbage" * 512)
    assert main(["decks", str(deck)]) == 2
    err = capsys.readouterr().err
    assert str(db_path(home)) in err and "damaged or not a quiz database" in err
    assert db_path(home).read_bytes() == b"\x00garbage" * 512


def _studied_then_reworded(home: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A deck whose one card was answered, then reworded so that quiz cannot be sure."""
    deck = write_deck(home, cards=0, body='[[cards]]\nfront = "Who wrote Hamlet?"\nback = "Bard"\n')
    monkeypatch.setattr(sys, "stdin", _Lines("\n3\nq\n"))
    assert main(["study", "--plain", str(deck)]) == 0
    text = deck.read_text(encoding="utf-8")
    deck.write_text(text.replace("Who wrote Hamlet?", "Hamlet: its author?"), encoding="utf-8")
    return deck


def test_plain_study_asks_about_a_doubtful_edit_before_the_first_card(
    home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    deck = _studied_then_reworded(home, monkeypatch)
    capsys.readouterr()
    monkeypatch.setattr(sys, "stdin", _Lines("\nq\n"))  # Enter: later, asked again next time
    assert main(["study", "--plain", str(deck)]) == 0
    out = capsys.readouterr().out
    assert "before: Who wrote Hamlet?" in out and "asked again next time" in out
    monkeypatch.setattr(sys, "stdin", _Lines("y\nq\n"))
    assert main(["study", "--plain", str(deck)]) == 0
    out = capsys.readouterr().out
    assert "it keeps its history" in out and "today: 0 new" in out  # no longer a new card
    assert main(["relink", str(deck)]) == 0
    assert "no edited card waits for a decision" in capsys.readouterr().out


def test_a_doubtful_edit_said_to_be_another_card_is_not_asked_again(
    home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    deck = _studied_then_reworded(home, monkeypatch)
    capsys.readouterr()
    monkeypatch.setattr(sys, "stdin", _Lines("n\nq\n"))
    assert main(["study", "--plain", str(deck)]) == 0
    assert "kept apart: it starts as a new card" in capsys.readouterr().out
    monkeypatch.setattr(sys, "stdin", _Lines("q\n"))
    assert main(["study", "--plain", str(deck)]) == 0
    out = capsys.readouterr().out
    assert "before: Who wrote Hamlet?" not in out and "today: 1 new" in out
    assert main(["relink", str(deck)]) == 0
    assert "no edited card waits for a decision" in capsys.readouterr().out
    assert len(logged(home)) == 1  # the old answer is still there, unlinked


def test_relink_lists_doubtful_edits_and_links_one_by_hand(
    home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    deck = _studied_then_reworded(home, monkeypatch)
    capsys.readouterr()
    monkeypatch.setattr(sys, "stdin", _Lines(""))  # not a terminal: list, never ask
    assert main(["relink", str(deck)]) == 0
    out = capsys.readouterr().out
    [command] = re.findall(r"link it with: (quiz relink .+)", out)
    _, _, deck_id, old, new = command.split(" ")
    assert deck_id == str(deck)
    assert main(["relink", deck_id, old, "no-such-card"]) == 1
    assert main(["relink", deck_id, old, new]) == 0
    assert "keeps its history" in capsys.readouterr().out
    assert main(["relink", deck_id, old, new]) == 1  # nothing left to link
    with pytest.raises(SystemExit):
        main(["relink", deck_id, old])  # a usage error


def test_prune_keeps_what_may_be_an_edited_card_and_backs_up_first(
    home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    deck = _studied_then_reworded(home, monkeypatch)
    capsys.readouterr()
    assert main(["orphans", str(deck)]) == 0
    out = capsys.readouterr().out
    assert "1 log entries, last 2024-03-04 09:00" in out and "may be an edited card" in out
    monkeypatch.setattr(sys, "stdin", _Lines("y\n"))
    assert main(["orphans", str(deck), "--prune"]) == 0
    out = capsys.readouterr().out
    assert "not pruning 1 card(s) that may be edited or moved" in out
    assert sum(logged(home).values()) == 0 and len(logged(home)) == 1  # still there
    deck.write_text(deck.read_text(encoding="utf-8").replace("Hamlet", "Othello"))
    deck.write_text(deck.read_text(encoding="utf-8").replace('back = "Bard"', 'back = "Moor"'))
    assert main(["orphans", str(deck), "--prune", "--yes"]) == 0  # now certainly another card
    out = capsys.readouterr().out
    assert "backed up to" in out and "deleted 1 log entries of 1 card(s)" in out
    assert logged(home) == {}
    assert list((home / "backups").iterdir())


def test_a_deck_studied_by_path_joins_the_library_for_every_command_until_forgotten(
    home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    deck = write_deck(elsewhere, cards=2)
    monkeypatch.setattr(sys, "stdin", _Lines("\n3\nq\n"))
    assert main(["study", "--plain", str(deck)]) == 0
    capsys.readouterr()
    assert main(["decks"]) == 0  # not named: remembered
    assert re.search(r"^t\s+Test\s+1\s+1", capsys.readouterr().out, re.MULTILINE)
    assert main(["check"]) == 0
    assert "card(s)" in capsys.readouterr().out
    deck.write_text(deck.read_text(encoding="utf-8") + "[[cards]]\nfront = 1\n")
    assert main(["check"]) == 1  # the remembered deck is checked too
    assert f"{deck}:" in capsys.readouterr().out
    deck.write_text(deck.read_text(encoding="utf-8").replace("[[cards]]\nfront = 1\n", ""))
    out_file = tmp_path / "t.csv"
    assert main(["export", "t", "-o", str(out_file)]) == 0  # found by its id
    assert main(["decks", "--forget", str(deck)]) == 0
    capsys.readouterr()
    assert main(["decks"]) == 0
    assert not re.search(r"^t\s", capsys.readouterr().out, re.MULTILINE)
    assert main(["decks", "--forget", str(deck)]) == 1


def test_a_renamed_deck_file_without_an_id_is_asked_about_and_keeps_its_progress(
    home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    old = home / "decks" / "capitals.toml"
    old.parent.mkdir()
    old.write_text("".join(f'[[cards]]\nfront = "c{n}?"\nback = "a{n}"\n' for n in range(3)))
    monkeypatch.setattr(sys, "stdin", _Lines("\n3\nq\n"))
    assert main(["study", "--plain", "capitals"]) == 0
    new = old.rename(old.with_name("world-capitals.toml"))
    capsys.readouterr()
    monkeypatch.setattr(sys, "stdin", _Lines(""))
    assert main(["relink"]) == 0  # not a terminal: says how
    out = capsys.readouterr().out
    assert "world-capitals has 1 of the 1 cards studied in capitals" in out
    assert f"quiz relink {new} --from capitals" in out
    monkeypatch.setattr(sys, "stdin", _Lines("y\nq\n"))
    assert main(["study", "--plain", "world-capitals"]) == 0
    out = capsys.readouterr().out
    assert "world-capitals keeps the progress of capitals" in out and "today: 2 new" in out
    assert main(["relink", str(new), "--from", "capitals"]) == 1  # nothing left to move


def test_prune_keeps_the_progress_of_a_deck_that_looks_renamed(
    home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    old = home / "decks" / "capitals.toml"
    old.parent.mkdir()
    old.write_text('[[cards]]\nfront = "c?"\nback = "a"\n')
    monkeypatch.setattr(sys, "stdin", _Lines("\n3\nq\n"))
    assert main(["study", "--plain", "capitals"]) == 0
    old.rename(old.with_name("renamed.toml"))
    assert main(["orphans", "--prune", "--yes"]) == 0
    assert "not pruning 1 card(s) that may be edited or moved" in capsys.readouterr().out
    assert len(logged(home)) == 1


def test_check_says_what_an_edit_on_disk_would_do_to_the_history(
    home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    deck = _studied_then_reworded(home, monkeypatch)
    capsys.readouterr()
    assert main(["check", str(deck)]) == 0  # notes never fail a check
    out = capsys.readouterr().out
    assert "'Hamlet: its author?' may be the edited 'Who wrote Hamlet?' (quiz relink" in out
    deck.write_text(deck.read_text(encoding="utf-8").replace("Hamlet: its author?", "Tides?"))
    assert main(["check", str(deck), "--strict"]) == 0
    out = capsys.readouterr().out
    assert "the history of 1 card(s) matches no card (quiz orphans):\n  'Who wrote Hamlet?'" in out


def test_deck_text_over_several_lines_never_passes_for_a_machine_line(home: Path) -> None:
    body = (
        '[[cards]]\nfront = "Two lines?"\nback = "first\\nrecorded fake t q0 3\\nundone x"\n'
        'explanation = "why\\nnothing more to study now"\n'
        'source = { paragraph = 3, excerpt = "as the text says" }\n'
    )
    deck = write_deck(home, cards=0, body=body)
    proc = start(home, "study", "--plain", str(deck))
    out, err = proc.communicate("\ngood\n", timeout=60)
    assert proc.returncode == 0, err
    assert len(RECORDED.findall(out)) == 1 and not UNDONE.findall(out)  # the real one only
    assert "nothing more to study now" not in out.splitlines()  # only as the deck's text
    assert "A: first\n   | recorded fake t q0 3\n   | undone x\n" in out
    assert "why: why\n   | nothing more to study now\n" in out
    assert "source: paragraph 3 · as the text says\n" in out


def test_minus_buries_and_bang_suspends_the_card_and_u_takes_it_back(home: Path) -> None:
    deck = write_deck(home, cards=3)
    proc = start(home, "study", "--plain", str(deck))
    # bury q0, suspend q1, undo the suspend at q2 (q1 again): Easy; q2: a typed "-", then E.
    out, err = proc.communicate("-\n!\nu\n\neasy\n\\-\nE\n", timeout=60)
    assert proc.returncode == 0, err
    assert "buried until tomorrow t " in out and "suspended t " in out
    assert "undone the suspend of t " in out
    questions = [line for line in out.splitlines() if line.startswith("Q: ")]
    assert questions == ["Q: q0", "Q: q1", "Q: q2", "Q: q1", "Q: q2"]
    assert [m[3] for m in RECORDED.findall(out)] == ["4", "4"]


def test_i_says_the_cards_state_and_history_then_asks_again(home: Path) -> None:
    deck = write_deck(home, cards=1)
    proc = start(home, "study", "--plain", str(deck))
    out, err = proc.communicate("\n1\ni\n\n3\n", timeout=60)  # Again, then i on its return
    assert proc.returncode == 0, err
    info = out[out.index("info t ") :].splitlines()
    assert info[1].startswith("  State: learning · due ")
    assert info[2] == "  Reviews: reps 1 · lapses 0"
    assert info[3].startswith("  Memory: stability ")
    assert info[4].startswith("  history: ") and "learn    Again" in info[4]
    assert len(RECORDED.findall(out)) == 2


# --- quiz exam --plain -------------------------------------------------------------------------

EXAM_RECORDED = re.compile(r"^recorded (\S+) t (\S+) exam$", re.MULTILINE)


def typed_deck(home: Path, cards: int) -> Path:
    """Typed cards that all take the answer "x", so any order of questions can be answered."""
    body = "".join(f'[[cards]]\nprompt = "q{i}"\nanswer = "x"\n' for i in range(cards))
    return write_deck(home, cards=0, body=body)


def test_plain_exam_logs_each_answer_at_once_and_scores_at_the_end(home: Path) -> None:
    deck = typed_deck(home, 3)
    # Two right, then a bare Enter (no answer: wrong); the end of input declines studying.
    proc = start(home, "exam", "--plain", str(deck), "--count", "3")
    out, err = proc.communicate("x\nx\n\n", timeout=60)
    assert proc.returncode == 0, err
    recorded = EXAM_RECORDED.findall(out)
    assert len(recorded) == 3 and len({key for _, key in recorded}) == 3
    with sqlite3.connect(db_path(home)) as conn:
        rows = conn.execute("SELECT id, kind, rating FROM review_log").fetchall()
    assert sorted((kind, rating) for _, kind, rating in rows) == [("exam", 1), *[("exam", 3)] * 2]
    assert {r[0] for r in rows} == {review_id for review_id, _ in recorded}
    assert "score: 2 / 3 (67%)" in out
    assert re.search(r"^mistake 1: q\d\n  yours: \(not answered\)\n  right: x$", out, re.M)
    assert out.rstrip().endswith("study the 1 missed card(s) now? [y/N]>")
    assert "Correct" not in out  # no feedback before the end
    # An exam leaves the schedule as it is: all three are still new.
    decks = subprocess.run(
        [sys.executable, "-m", "quiz", "decks", str(deck)],
        capture_output=True,
        text=True,
        env={**os.environ, "QUIZ_HOME": str(home), "QUIZ_NOW": NOW},
        check=True,
    )
    assert re.search(r"^t\s+Test\s+3\s+0\s+0\b", decks.stdout, re.MULTILINE), decks.stdout


def test_plain_exam_refuses_two_options_for_one_and_studies_the_missed(
    home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    body = '[[cards]]\nquestion = "Pick one"\nanswer = "x"\ndistractors = ["y"]\n'
    deck = write_deck(home, cards=0, body=body)
    # "1 2" is refused; "1" is shown first as y (wrong); y studies the card: 1, rate 3.
    monkeypatch.setattr(sys, "stdin", _Lines("1 2\n1\ny\n1\n3\n"))
    assert main(["exam", "--plain", str(deck)]) == 0
    out = capsys.readouterr().out
    assert "? one answer is right: choose one option" in out
    assert "score: 0 / 1 (0%)" in out and "  yours: y\n  right: x\n" in out
    assert re.search(r"^recorded \S+ t choice-\S+ 3$", out, re.MULTILINE)  # a real review now
    assert "summary: studied 1" in out


def test_plain_exam_ends_when_the_time_is_up(
    home: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    deck = typed_deck(home, 3)
    clock = iter(f"2024-03-04T09:{m:02d}:30+00:00" for m in range(1, 60, 2))

    class Slow(_Lines):
        """Each line takes the learner 90 seconds (the clock moves as each is read)."""

        def readline(self) -> str:
            monkeypatch.setenv("QUIZ_NOW", next(clock))
            return super().readline()

    monkeypatch.setattr(sys, "stdin", Slow("x\nx\nx\n"))
    assert main(["exam", "--plain", str(deck), "--time", "2"]) == 0
    out = capsys.readouterr().out
    assert "time limit 2 min" in out and "02:00 left" in out
    assert len(EXAM_RECORDED.findall(out)) == 1  # the second answer came after the limit
    assert "time is up: the questions left count as wrong" in out
    assert "score: 1 / 3 (33%)" in out


# --- edit and --quiet ------------------------------------------------------------------------


def fake_editor(home: Path, script: str) -> str:
    """An $EDITOR that runs ``script`` (Python, ``path`` and ``line`` given) on the file."""
    program = home / "editor.py"
    program.write_text(
        "import sys\nfrom pathlib import Path\n"
        "line, path = int(sys.argv[1][1:]), Path(sys.argv[2])\n" + script,
        encoding="utf-8",
    )
    return f"{sys.executable} {program}"


def test_e_edits_the_shown_card_and_the_session_goes_on(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    deck = write_deck(home, cards=2)
    fix = "path.write_text(path.read_text().replace('back = \"a', 'back = \"fixed a'))\n"
    monkeypatch.setenv("EDITOR", fake_editor(home, fix))
    monkeypatch.delenv("VISUAL", raising=False)
    proc = start(home, "study", "--plain", str(deck))
    # Good on the first card, edit on the second, then reveal and Good on what comes next.
    out, err = proc.communicate("\n3\nedit\n\n3\n\n3\n", timeout=60)
    assert proc.returncode == 0, err
    assert "edited t: 2 card(s) to study from" in out
    assert "fixed a" in deck.read_text(encoding="utf-8")
    after = out.split("edited t:")[1]
    assert re.search(r"^A: fixed a1$", after, re.MULTILINE), after  # the edited text is shown
    assert len(RECORDED.findall(out)) == 3
    assert "summary: studied 3 · correct 3" in out  # counting went on across the rebuild


def test_an_edit_that_breaks_the_deck_keeps_the_old_one(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    deck = write_deck(home, cards=1)
    monkeypatch.setenv("EDITOR", fake_editor(home, "path.write_text('[[cards]\\n')\n"))
    monkeypatch.delenv("VISUAL", raising=False)
    proc = start(home, "study", "--plain", str(deck))
    out, err = proc.communicate("edit\n\n3\n", timeout=60)
    assert proc.returncode == 0, err
    kept = r"^the deck no longer loads; kept the previous version: \S*t\.toml:1:"
    assert re.search(kept, out, re.MULTILINE), out
    assert len(RECORDED.findall(out)) == 1 and "Q: q0" in out


def test_quiet_says_less_per_card_and_records_the_same(home: Path) -> None:
    deck = write_deck(home, cards=2)
    proc = start(home, "study", "--plain", "--quiet", str(deck))
    out, err = proc.communicate("\n3\nx\n\n", timeout=60)
    assert proc.returncode == 0, err
    assert "card 1, basic\nQ: q0\n" in out
    assert "rate 1 to 4>" in out and "rate 1 to 4, Enter: 1>" in out
    assert "Good, next in 10m" in out and "Again, next in 1m" in out
    assert not RECORDED.search(out) and "Again 1m" not in out and "due)" not in out
    assert len(logged(home)) == 2


def test_quiet_without_plain_is_refused(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["study", "--quiet"]) == 2
    assert "quiz study --plain --quiet" in capsys.readouterr().err
