"""Shell completion through click's own mechanism: `world-timer completion bash|zsh|fish`.

The shell calls `world-timer` with `_WORLD_TIMER_COMPLETE=bash_complete` (zsh_complete,
fish_complete) and the words typed so far; click answers with commands, options, and here
place names from the gazetteer by prefix, most populous first (`world-timer Tok<TAB>`: Tokyo,
Tokorozawa, ...). A completion runs one indexed prefix query (`Gazetteer.by_prefix`, LIMIT 60,
20 shown): no fuzzy matching, no name list.
"""

from __future__ import annotations

import re

import click
from click.shell_completion import BashComplete, CompletionItem, add_completion_class

SHELLS = ("bash", "zsh", "fish")
COMPLETE_VAR = "_WORLD_TIMER_COMPLETE"
PLACE_COMPLETIONS = 20
INJECTED = "world_timer.default_command"
"""ctx.meta key: set when the group put `now` in front of the arguments (no command typed)."""

_BASH_UNSAFE = re.compile(r"([^\w./:@+%=,-])")


class PlacesBashComplete(BashComplete):
    """click's bash completion, with each value escaped for the shell (`New\\ York`,
    `Saint\\ John\\'s`): click's bash script adds values unquoted, so a place with a space
    would become two words. Its `read` (without -r) takes one level of backslashes off first,
    so each backslash is written twice."""

    def format_completion(self, item: CompletionItem) -> str:
        if item.type == "plain":
            escaped = _BASH_UNSAFE.sub(r"\\\1", item.value)
            return "plain," + escaped.replace("\\", "\\\\")
        return super().format_completion(item)


add_completion_class(PlacesBashComplete, "bash")


def complete_places(
    ctx: click.Context, _param: click.Parameter, incomplete: str
) -> list[CompletionItem]:
    """Places whose name starts with `incomplete`, most populous first, as typed names: the
    first of a name as is (`Portland`), its namesakes qualified (`Portland, Maine`); the help
    text (zsh, fish) is the region, country and zone. With no command typed yet, the commands
    that start with `incomplete` come first (`world-timer se<TAB>`: search, serve)."""
    items: list[CompletionItem] = []
    if ctx.meta.get(INJECTED) and not ctx.params.get("places") and ctx.parent is not None:
        group = ctx.parent.command
        if isinstance(group, click.Group):
            items += [
                CompletionItem(name, help="command")
                for name in group.list_commands(ctx.parent)
                if name.startswith(incomplete) and name != ctx.info_name
            ]
    text = incomplete.strip()
    if not text or "/" in text:
        return items + _zone_keys(text)
    from world_timer.places.normalize import normalize
    from world_timer.places.search import search_places

    # Only places whose own name starts so: an alternate name (`toka` for Doha, `New York Van
    # Java` for Jakarta) would replace the word typed by a name not typed.
    key = normalize(text.partition(",")[0])
    seen: set[str] = set()
    for place in search_places(text, PLACE_COMPLETIONS * 3):
        if len(seen) == PLACE_COMPLETIONS:
            break
        if not any(normalize(name).startswith(key) for name in (place.name, place.asciiname)):
            continue
        qualifiers = [place.name, place.admin1, place.country]
        name = _as_typed(place.name, place.asciiname, text.partition(",")[0])
        value = name
        if "," in text or value.casefold() in seen:  # `Portland, Maine` (else `, Country`)
            value = f"{name}, {place.admin1 or place.country}"
        seen.add(name.casefold())
        about = ", ".join(q for q in qualifiers[1:] if q)
        items.append(CompletionItem(value, help=f"{about} · {place.timezone}"))
    if not seen:
        return items + _zone_keys(text)  # `Europe` → Europe/...
    # readline replaces the word by the candidates' common prefix: one candidate that does not
    # start with what was typed (`Tōkai` for `Tok`) would shorten the word to `T`
    keeping = [item for item in items if item.value.casefold().startswith(text.casefold())]
    return keeping or items


def _as_typed(name: str, asciiname: str, typed: str) -> str:
    """The spelling of a place's name that keeps what was typed as its prefix, case aside:
    `Tokai` for `Tok` (GeoNames asciiname), `Tōkai` for `Tō`; the own name when neither does."""
    folded = typed.strip().casefold()
    for spelling in (name, asciiname):
        if spelling and spelling.casefold().startswith(folded):
            return spelling
    return name


def _zone_keys(text: str) -> list[CompletionItem]:
    """IANA zone keys starting with `text` (`Asia/To`), when it looks like one."""
    if not text or not text[0].isalpha():
        return []
    from world_timer.timekeeping.zones import zone_keys

    folded = text.casefold()
    keys = sorted(key for key in zone_keys().values() if key.casefold().startswith(folded))
    return [CompletionItem(key, help="IANA zone key") for key in keys[:50]]


@click.command("completion")
@click.argument("shell", type=click.Choice(SHELLS))
def completion_command(shell: str) -> None:
    """Print the completion script of SHELL (commands, options, place names by prefix).

    \b
    Example:
      eval "$(world-timer completion bash)"     # in ~/.bashrc
      eval "$(world-timer completion zsh)"      # in ~/.zshrc
      world-timer completion fish > ~/.config/fish/completions/world-timer.fish
    """
    from click.shell_completion import get_completion_class

    ctx = click.get_current_context()
    root = ctx.find_root()
    completion = get_completion_class(shell)
    assert completion is not None  # every name of SHELLS is registered by click (bash: here)
    click.echo(completion(root.command, {}, "world-timer", COMPLETE_VAR).source(), nl=False)
