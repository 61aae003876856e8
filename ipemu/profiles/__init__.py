"""Profiles: what differs between tool versions, as data (`*.toml` beside this file).

A profile is a flat table of values the renderers consult; a second era of the tools
(the seed's CentOS 7) is one more file, not a branch in the code.
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass

from ipemu.data import package_file, toml_names


@dataclass(frozen=True)
class Profile:
    name: str
    values: dict

    def __getitem__(self, key: str):
        return self.values[key]

    def get(self, key: str, default=None):
        return self.values.get(key, default)


def available() -> list[str]:
    return toml_names("profiles")


def load(name: str = "default") -> Profile:
    """A profile file; `base = "NAME"` in it starts from another profile's values
    (tables such as [kernel] are merged key by key)."""
    path = package_file("profiles", f"{name}.toml")
    if not path.is_file():
        raise KeyError(name)
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
