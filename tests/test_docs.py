"""The README documents every command and the quick start it promises."""

from __future__ import annotations

from pathlib import Path

import click

from events.cli import main

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def _commands(group: click.Group, prefix: str = "events") -> list[str]:
    names = []
    for name, command in group.commands.items():
        names.append(f"{prefix} {name}")
        if isinstance(command, click.Group):
            names += _commands(command, f"{prefix} {name}")
    return names


def test_every_command_is_in_the_readme():
    missing = [name for name in _commands(main) if name.replace("events ", ".venv/bin/events ", 1) not in README]
    assert missing == []


def test_quick_start_is_the_two_make_targets_ci_runs():
    ci = (Path(__file__).resolve().parent.parent / ".ci" / "run").read_text(encoding="utf-8")
    assert "make run" in README and "make test" in README
    assert "make test" in ci
