"""Booted hosts, cached: a scenario boots once and its booted host is kept as a state
document, so `ipemu -c` does not replay the boot (and its seconds of IPv6 start-up
traffic) on every call.

The key is everything the booted host depends on: the state format, ipemu's version
and code (a fingerprint of the package's files), the scenario's text, the profile's
values and the seed. The host name is applied after loading. A cache that cannot be
read or written is passed over: the host is booted as if there were none.
"""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

_FINGERPRINT: list[str] = []


def _code_fingerprint() -> str:
    """Sizes and mtimes of ipemu's own files: a changed checkout boots afresh."""
    if not _FINGERPRINT:
        digest = hashlib.sha256()
        root = Path(__file__).resolve().parent
        for folder, dirs, files in os.walk(root):
            dirs[:] = sorted(d for d in dirs if d != "__pycache__")
            for name in sorted(files):
                if name.endswith((".py", ".toml", ".lark", ".txt")):
                    st = os.stat(os.path.join(folder, name))
                    digest.update(f"{folder}/{name}:{st.st_size}:{st.st_mtime_ns}\n".encode())
        _FINGERPRINT.append(digest.hexdigest())
    return _FINGERPRINT[0]


def _key(profile, scenario_text: str, seed: int) -> str:
    from ipemu import __version__
    from ipemu.state import VERSION
    digest = hashlib.sha256()
    for part in (str(VERSION), __version__, _code_fingerprint(), scenario_text,
                 repr(sorted(profile.values.items())), str(seed)):
        digest.update(part.encode() + b"\0")
    return digest.hexdigest()[:32]


def booted(profile_name: str, scenario: str, seed: int, boot):
    """The session `boot()` makes, from the cache when it holds it (and stored there
    when it does not)."""
    from ipemu.lark_cache import cache_dir
    from ipemu.profiles import load as load_profile
    from ipemu.scenarios import source
    from ipemu.state import StateError, load, save
    if os.environ.get("IPEMU_NO_SNAPSHOT"):
        return boot()
    try:
        path = cache_dir() / "hosts" / f"{_key(load_profile(profile_name), source(scenario), seed)}.json"
    except (OSError, KeyError):
        return boot()
    if path.is_file():
        try:
            return load(path)
        except StateError:
            pass
    session = boot()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        save(path, session)
    except (OSError, StateError):
        pass
    return session
