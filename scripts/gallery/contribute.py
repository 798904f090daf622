"""Commands for contributors: scaffold a run, import a chat export. (Filled in by issue 6.)"""

from __future__ import annotations

import argparse


def add_commands(commands: "argparse._SubParsersAction[argparse.ArgumentParser]") -> None:
    return None
