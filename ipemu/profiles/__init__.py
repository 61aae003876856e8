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
    path = package_file("profiles", f"{name}.toml")
    if not path.is_file():
        raise KeyError(name)
    return Profile(name, tomllib.loads(path.read_text()))
