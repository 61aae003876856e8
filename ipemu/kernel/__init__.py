"""The simulated kernel (see ipemu/kernel/netns.py for how a namespace is split)."""
from __future__ import annotations

import sys


class Later:
    """A module-level name for an object of another module, imported on first use
    (a one-shot `ip link show` needs no route, address or request module): the first
    attribute look-up or call imports that module and puts the object itself in the
    name's place in `namespace` (the importing module's globals()), so every later
    use costs what a plain name costs. Only for names used by attribute, call or
    subscript:
    an isinstance() or an attribute assignment would see this stand-in."""

    __slots__ = ("module", "name", "namespace")

    def __init__(self, module: str, name: str, namespace: dict) -> None:
        self.module = module
        self.name = name
        self.namespace = namespace

    def resolve(self):
        __import__(self.module)
        real = getattr(sys.modules[self.module], self.name)
        if self.namespace.get(self.name) is self:
            self.namespace[self.name] = real
        return real

    def __getattr__(self, attr: str):
        return getattr(self.resolve(), attr)

    def __call__(self, *args, **kwargs):
        return self.resolve()(*args, **kwargs)

    def __getitem__(self, key):
        return self.resolve()[key]
