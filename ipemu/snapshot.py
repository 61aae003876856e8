"""Booted hosts, cached: a scenario boots once and its booted host is kept as a state
document (ipemu/state.py's, stored with marshal: read without a JSON parser), so `ipemu -c` does not replay the boot (and its seconds of IPv6 start-up
traffic) on every call.

The key is everything the booted host depends on: the state format, ipemu's version
and code (a fingerprint of the package's files, the profiles' among them), the
scenario's text, the profile's name and the seed. The host name is applied after loading. A cache that cannot be
read or written is passed over: the host is booted as if there were none.
"""
from __future__ import annotations

import marshal
import os

try:                    # the builtin module: hashlib would load OpenSSL (~10 ms)
    from _sha256 import sha256
except ImportError:     # pragma: no cover - a Python built without it
    from hashlib import sha256


def _code_fingerprint() -> str:
    """Sizes and mtimes of ipemu's own files (code, profiles, scenarios, grammars): a
    changed checkout boots afresh. (The one-shot code bundle's key too.)"""
    from ipemu.codebundle import fingerprint
    return fingerprint()


def _key(profile_name: str, scenario_text: str, seed: int) -> str:
    """The profile by name: its file (and its base's) is in the code fingerprint, so
    the key needs no TOML parsed; so is one of ipemu's own scenarios (scenario_key())."""
    from ipemu import __version__
    from ipemu.state import VERSION
    digest = sha256()
    for part in (str(VERSION), __version__, _code_fingerprint(), scenario_text,
                 profile_name, str(seed)):
        digest.update(part.encode() + b"\0")
    return digest.hexdigest()[:32]


def _load(path: str):
    """The snapshot: the host's state document as marshal data (the JSON document's
    very data, read without a JSON parser; a cache, trusted as __pycache__ is)."""
    from ipemu.state import StateError, from_document
    try:
        with open(path, "rb") as fh:
            # loads() of the whole file: load() reads a file object piece by piece
            doc = marshal.loads(fh.read())
    except (OSError, EOFError, ValueError, TypeError):
        raise StateError("is damaged") from None
    return from_document(doc, defer=True)     # written for this very code


def _save(path: str, session) -> None:
    """Written atomically: a reader never sees half a snapshot."""
    from ipemu.state import document, split_later
    folder, name = os.path.split(path)
    tmp = os.path.join(folder, f".{name}.{os.getpid()}")
    try:
        with open(tmp, "wb") as fh:
            marshal.dump(split_later(document(session)), fh)
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def cache_dir() -> str:
    """ipemu's cache of booted hosts (data only: see state.py); a string, not a Path:
    every `ipemu -c` asks (ipemu/data.py)."""
    explicit = os.environ.get("IPEMU_CACHE_DIR")
    if explicit:
        return explicit
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "ipemu")


def scenario_key(scenario: str) -> str:
    """What the booted host depends on of its scenario: one of ipemu's own by its
    name (its file is in the code fingerprint: reading it and importing
    ipemu.scenarios cost a start ~1 M instructions), a file a user names by its text
    (scenarios.source()'s rule for which is which: a name ending in .toml)."""
    if not scenario.endswith(".toml"):
        return f"ipemu:{scenario}"      # an unknown name: boot() says so
    from ipemu.scenarios import source
    return source(scenario)


def booted(profile_name: str, scenario: str, seed: int, boot):
    """The session `boot()` makes, from the cache when it holds it (and stored there
    when it does not)."""
    from ipemu.state import StateError
    if os.environ.get("IPEMU_NO_SNAPSHOT"):
        return boot()
    try:
        # os.path, not pathlib: every `ipemu -c` comes here (ipemu/data.py)
        path = os.path.join(cache_dir(), "hosts",
                            f"{_key(profile_name, scenario_key(scenario), seed)}.marshal")
    except (OSError, KeyError):
        return boot()
    if os.path.isfile(path):
        try:
            return _load(path)
        except StateError:
            pass
    session = boot()
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        _save(path, session)
    except (OSError, ValueError, StateError):
        pass
    return session
