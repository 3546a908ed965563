"""The ``kslars`` command line. Commands live in the modules that own them and load only when used,
so that ``kslars --help`` stays fast and never imports Django, torch or MediaPipe."""

from __future__ import annotations

import importlib

import click

# command name -> "module:attribute" of a click command
COMMANDS: dict[str, str] = {
    "serve": "kslars.web.commands:serve",
    "worker": "kslars.web.commands:worker",
    "createuser": "kslars.web.commands:createuser",
    "convert": "kslars.formats.cli:convert",
    "extract": "kslars.engine.cli:extract",
    "annotate": "kslars.engine.cli:annotate",
    "handshape": "kslars.engine.handshape.cli:handshape",
    "train": "kslars.engine.cli:train",
    "evaluate": "kslars.engine.cli:evaluate",
    "cslr": "kslars.recognition.cli:cslr",
    "dictionary": "kslars.dictionary.cli:dictionary",
    "fingerspell": "kslars.dictionary.fingerspelling_cli:fingerspell",
    "agreement": "kslars.corpus.agreement_cli:agreement",
    "corpus": "kslars.corpus.cli:corpus",
    "nonmanual": "kslars.engine.nonmanual.cli:nonmanual",
}


class LazyGroup(click.Group):
    """A click group that imports each command's module only when that command runs.

    ``lazy_commands`` maps command names to "module:attribute" (default: the top-level :data:`COMMANDS`).
    """

    def __init__(self, *args, lazy_commands: dict[str, str] | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.lazy_commands = COMMANDS if lazy_commands is None else lazy_commands

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(self.lazy_commands)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        target = self.lazy_commands.get(cmd_name)
        if target is None:
            return None
        module_name, attr = target.split(":")
        return getattr(importlib.import_module(module_name), attr)


@click.group(cls=LazyGroup, invoke_without_command=True)
@click.version_option(package_name="kslars")
@click.pass_context
def main(ctx: click.Context) -> None:
    """K-SLARS: sign language annotation (SLAN), automatic annotation and recognition tools.

    With no command, runs ``kslars serve``.
    """
    serve = main.get_command(ctx, "serve")
    if ctx.invoked_subcommand is None and serve is not None:
        ctx.invoke(serve)
