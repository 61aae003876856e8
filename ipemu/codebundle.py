"""The code of a one-shot start in one file, as Python freezes its own start-up
modules: `ipemu -c` imports some 80 modules of ipemu, and finding and opening each
one's file costs ~0.1 ms before its code runs. Here the bytecode of the ipemu
modules earlier one-shot runs imported is kept in one marshal file beside the
package's own bytecode (ipemu/__pycache__/, the place and the trust of a .pyc:
nothing executable is read from anywhere else), and a finder ahead of the usual
ones serves them from it.

The file holds the fingerprint of the package's sources (every file's size and
mtime: `fingerprint()`, the booted-host snapshots' key too); a bundle of another
fingerprint is not used, so a changed checkout imports from its files as usual.
A module the bundle lacks is imported the usual way, and added to the bundle when
the run ends (`save()`); so are the methods ipemu/plainclass.py generated (the code
of each by its source text: compiling them cost a start ~3 ms). IPEMU_NO_BUNDLE=1 turns it off.
"""
from __future__ import annotations

import marshal
import os
import sys
from importlib.machinery import SourceFileLoader

try:                    # importlib.util's own, without importing it (and contextlib)
    from importlib._bootstrap_external import spec_from_file_location
except ImportError:     # pragma: no cover - another Python's layout
    from importlib.util import spec_from_file_location

try:                    # the builtin module: hashlib would load OpenSSL (~10 ms)
    from _sha256 import sha256
except ImportError:     # pragma: no cover - a Python built without it
    from hashlib import sha256

ROOT = os.path.dirname(os.path.abspath(__file__))
FORMAT = 2
_FINGERPRINT: list[str] = []


def fingerprint() -> str:
    """Sizes and mtimes of ipemu's own files (code, profiles, scenarios, grammars): a
    changed checkout has another."""
    if not _FINGERPRINT:
        digest = sha256()
        _walk(ROOT, digest)
        _FINGERPRINT.append(digest.hexdigest())
    return _FINGERPRINT[0]


def _walk(folder: str, digest) -> None:
    """os.walk's order (names sorted, files then folders), with each entry's stat."""
    with os.scandir(folder) as it:
        entries = sorted(it, key=lambda e: e.name)
    dirs = []
    for entry in entries:
        if entry.is_dir():
            if entry.name != "__pycache__":
                dirs.append(entry.path)
        elif entry.name.endswith((".py", ".toml", ".lark", ".txt")):
            st = entry.stat()
            digest.update(f"{folder}/{entry.name}:{st.st_size}:{st.st_mtime_ns}\n".encode())
    for path in dirs:
        _walk(path, digest)


def bundle_path() -> str:
    return os.path.join(ROOT, "__pycache__", f"oneshot.{sys.implementation.cache_tag}.marshal")


class BundleLoader(SourceFileLoader):
    """A module's own file loader (its __file__, source and package path are the
    file's), its code from the bundle."""

    def __init__(self, fullname: str, path: str, code: memoryview):
        super().__init__(fullname, path)
        self.code = code

    def get_code(self, fullname: str):
        return marshal.loads(self.code)


class BundleFinder:
    """Finds ipemu's modules in the bundle: `index` says where each one's file and
    marshalled code are (name -> (file, start, end) in `blob`)."""

    def __init__(self, key: str, index: dict, blob: memoryview, before: set):
        self.key = key
        self.modules = index
        self.blob = blob
        self.before = before        # imported before the finder was there
        self.methods: dict = {}     # plainclass's generated methods: source -> code

    def find_spec(self, name: str, path=None, target=None):
        entry = self.modules.get(name)
        if entry is None:
            return None
        file, start, end = entry
        loader = BundleLoader(name, file, self.blob[start:end])
        return spec_from_file_location(name, file, loader=loader)

    def code(self, name: str) -> bytes:
        _, start, end = self.modules[name]
        return bytes(self.blob[start:end])


def install() -> BundleFinder | None:
    """Serve ipemu's modules from the bundle from now on (None when turned off)."""
    if os.environ.get("IPEMU_NO_BUNDLE"):
        return None
    key = f"{FORMAT}:{fingerprint()}"
    index: dict = {}
    methods: dict = {}
    blob = memoryview(b"")
    try:
        raw = _read(bundle_path())
        # the file: the header's length (8 bytes), the header (the key, the index
        # and plainclass's methods, marshalled), then the modules' code one after
        # another
        size = int.from_bytes(raw[:8], "little")
        header = marshal.loads(raw[8:8 + size])
        if isinstance(header, tuple) and len(header) == 3 and header[0] == key and \
                isinstance(header[1], dict) and isinstance(header[2], dict):
            index, methods, blob = header[1], header[2], raw[8 + size:]
    except (OSError, EOFError, ValueError, TypeError):
        pass        # none yet, or damaged: made again at the end
    finder = BundleFinder(key, index, blob, set(sys.modules))
    sys.meta_path.insert(0, finder)
    # the methods plainclass generates, by their source (plainclass.CODE)
    from ipemu import plainclass
    plainclass.CODE.update(methods)
    finder.methods = methods
    return finder


def _read(path: str) -> memoryview:
    """The file mapped, not copied: a read() of its megabytes costs more than the
    few pages each module's code takes (they are the page cache's own)."""
    import mmap
    fd = os.open(path, os.O_RDONLY)
    try:
        return memoryview(mmap.mmap(fd, 0, prot=mmap.PROT_READ))
    finally:
        os.close(fd)


def save(finder: BundleFinder | None) -> None:
    """Add the ipemu modules this run imported from their own files to the bundle
    (written atomically; a package directory that is not writable keeps none)."""
    if finder is None:
        return
    from ipemu import plainclass
    methods = {text: marshal.dumps(code) for text, code in plainclass.COMPILED.items()
               if text not in finder.methods}
    new = {}
    for name, module in list(sys.modules.items()):
        if not name.startswith("ipemu.") or name in finder.modules or name in finder.before:
            continue
        file = getattr(getattr(module, "__spec__", None), "origin", None)
        if not isinstance(file, str) or not file.endswith(".py") or \
                not file.startswith(ROOT + os.sep):
            continue
        try:
            # the usual loader: the .pyc when it is current, else the source compiled
            new[name] = (file, marshal.dumps(SourceFileLoader(name, file).get_code(name)))
        except (OSError, SyntaxError, ValueError):
            continue
    if not new and not methods:
        return
    codes = {name: (file, finder.code(name)) for name, (file, _, _) in finder.modules.items()}
    codes.update(new)
    index, parts, at = {}, [], 0
    for name, (file, code) in codes.items():
        index[name] = (file, at, at + len(code))
        parts.append(code)
        at += len(code)
    header = marshal.dumps((finder.key, index, {**finder.methods, **methods}))
    path = bundle_path()
    tmp = f"{path}.{os.getpid()}"
    try:
        with open(tmp, "wb") as fh:
            fh.write(len(header).to_bytes(8, "little"))
            fh.write(header)
            for part in parts:
                fh.write(part)
        os.replace(tmp, path)
    except OSError:
        try:
            os.unlink(tmp)
        except OSError:
            pass
