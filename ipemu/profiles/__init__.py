"""Profiles: what differs between tool versions, as data (`*.toml` beside this file).

A profile is a flat table of values the renderers consult; a second era of the tools
(the seed's CentOS 7) is one more file, not a branch in the code.
"""
from __future__ import annotations

import tomllib
from dataclasses import dataclass
from importlib import resources


@dataclass(frozen=True)
class Profile:
    name: str
    values: dict

    def __getitem__(self, key: str):
        return self.values[key]

    def get(self, key: str, default=None):
        return self.values.get(key, default)


def available() -> list[str]:
    return sorted(p.name[:-5] for p in resources.files(__package__).iterdir()
                  if p.name.endswith(".toml"))


def load(name: str = "default") -> Profile:
    path = resources.files(__package__) / f"{name}.toml"
    if not path.is_file():
        raise KeyError(name)
    return Profile(name, tomllib.loads(path.read_text()))
