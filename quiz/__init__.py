"""quiz: learn facts in the terminal with TOML decks and FSRS spaced repetition."""

__version__ = "0.1.0"
