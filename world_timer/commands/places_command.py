"""`PlacesCommand`: a click command whose PLACES may be negative UTC offsets (`-05:00`, `-12`)."""

from __future__ import annotations

import re

import click


class PlacesCommand(click.Command):
    """A command taking PLACES (`now`, `watch`, `plan`, `schedule`), where a negative UTC offset
    (`-05:00`, `-12`, `-0330`) is a place.

    No option of ours starts with a digit, so such an argument (before `--`, and not the value of
    an option) can only be a place, as argparse reads negative numbers. It is passed to click's
    parser behind a NUL, which no command-line argument can hold, and the NUL taken off after.
    """

    NEGATIVE_OFFSET = re.compile(r"-\d{1,2}(?::?\d{2})?")

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        takes_value = {
            name
            for param in self.get_params(ctx)
            if isinstance(param, click.Option) and not param.is_flag
            for name in param.opts
        }
        end = args.index("--") if "--" in args else len(args)
        marked = [
            "\0" + arg
            if index < end
            and self.NEGATIVE_OFFSET.fullmatch(arg)
            and (index == 0 or args[index - 1] not in takes_value)
            else arg
            for index, arg in enumerate(args)
        ]
        rest = super().parse_args(ctx, marked)
        ctx.params["places"] = tuple(
            _unmarked(p, self.NEGATIVE_OFFSET) for p in ctx.params["places"] or ()
        )
        return rest


def _unmarked(place: str, pattern: re.Pattern[str]) -> str:
    """The place as given: the NUL comes off only where `parse_args` put it."""
    if place.startswith("\0") and pattern.fullmatch(place[1:]):
        return place[1:]
    return place
