"""Profiles: what differs between tool versions, as data (`*.toml` beside this file).

A profile is a flat table of values the tools and renderers consult: version banners,
option strings, messages and field orders; a second era of the tools (the seed's
CentOS 7) is one more file, not a branch in the code. Usage texts stay files
(ipemu/tools/usage/): a profile's `usage_set` names a folder there whose texts replace
the default set's, file by file.
"""
from __future__ import annotations

import os

from ipemu.data import package_file, package_path, toml_names
from ipemu.plainclass import dataclass


@dataclass(frozen=True)
class Profile:
    name: str
    values: dict

    # no get(key, default): every key has its one value in default.toml (or the
    # profile's own), so a tool never carries a default of its own
    def __getitem__(self, key: str):
        return self.values[key]

    def usage(self, name: str) -> str:
        """The usage text NAME as this profile's tools print it."""
        with open(_usage_path(name, self.values["usage_set"]), encoding="utf-8") as fh:
            return fh.read()


def usage_file(name: str, usage_set: str = ""):
    """tools/usage/SET/NAME.txt when the set has its own text, else the default set's
    tools/usage/NAME.txt (a text no source of that version was found for); a Path."""
    from pathlib import Path
    return Path(_usage_path(name, usage_set))


def _usage_path(name: str, usage_set: str) -> str:
    """usage_file()'s path as a string (no pathlib: `tcpdump -c` reads its usage)."""
    if usage_set:
        own = package_path("tools", "usage", usage_set, f"{name}.txt")
        if os.path.isfile(own):
            return own
    return package_path("tools", "usage", f"{name}.txt")


def available() -> list[str]:
    return toml_names("profiles")


def load(name: str = "default") -> Profile:
    """A profile file; `base = "NAME"` in it starts from another profile's values
    (tables such as [kernel] are merged key by key)."""
    path = package_file("profiles", f"{name}.toml")
    if not path.is_file():
        raise KeyError(name)
    import tomllib      # here: a host restored from its snapshot never parses TOML
    values = tomllib.loads(path.read_text())
    parent = values.pop("base", None)
    if parent is not None:
        merged = dict(load(parent).values)
        for key, value in values.items():
            if isinstance(value, dict) and isinstance(merged.get(key), dict):
                merged[key] = {**merged[key], **value}
            else:
                merged[key] = value
        values = merged
    return Profile(name, values)
