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

A line runs a third of the functions its modules define, and unmarshalling the
code of the rest was a third of the modules' load. So a function no one-shot run
has called yet is kept apart, in its module's cold table, and its module's code
holds a stub of the same name and place in its stead (`_stub_out()`; functions of
the module and of its classes, not what a module's body runs as it is made). The
function object the module's code makes is the usual one, with its defaults,
annotations and decorators; its first call loads the real code, puts it in the
function (`__code__`, the module's own objects then call it directly) and calls
it (`BundleFinder.wake()`); the run's end writes the functions it woke into their
modules' code, so a line's functions come with their module from its next run on.
"""
import marshal
import os
import sys
try:                    # importlib's own machinery, frozen into the interpreter: the
    # importlib package (and the warnings module it imports) costs a start ~0.5 ms
    from _frozen_importlib import ModuleSpec
    from _frozen_importlib_external import (MAGIC_NUMBER, ExtensionFileLoader,
                                            SourceFileLoader, cache_from_source)
except ImportError:     # pragma: no cover - another Python's layout
    from importlib.machinery import ExtensionFileLoader, ModuleSpec, SourceFileLoader
    from importlib.util import MAGIC_NUMBER, cache_from_source

ROOT = os.path.dirname(os.path.abspath(__file__))
_TAG = sys.implementation.cache_tag
# a .pyc's path is its folder's __pycache__/NAME.TAG.pyc (cache_from_source()), but
# under a pycache prefix or -O
_PLAIN_CACHE = sys.pycache_prefix is None and not sys.flags.optimize
FORMAT = 5
FunctionType = type(lambda: None)       # types' own names, without importing it (~0.2 ms)
CodeType = type((lambda: None).__code__)
_FINGERPRINT: list[str] = []


def fingerprint() -> str:
    """Sizes and mtimes of ipemu's own files (code, profiles, scenarios, grammars): a
    changed checkout has another. An installed copy (`pip install .`) is keyed by its
    RECORD instead: one stat rather than ~350."""
    if not _FINGERPRINT:
        # the RECORD's identity as it is (a short text: no hash, so no _sha256
        # extension searched for before the bundle's finder can say where it is:
        # BundleFinder._located_spec())
        record = _installed_record()
        if record is None:
            try:                # the builtin module: hashlib would load OpenSSL (~10 ms)
                from _sha256 import sha256
            except ImportError:     # pragma: no cover - a Python built without it
                from hashlib import sha256
            digest = sha256()
            _walk(ROOT, digest)
            record = digest.hexdigest()
        _FINGERPRINT.append(record)
    return _FINGERPRINT[0]


def _installed_record() -> str | None:
    """The identity of the RECORD of the wheel this package was installed from, when
    it is one: pip writes that file afresh, last, on every install (it lists each
    installed file with its SHA-256: PEP 376/627), so another install of any sources
    has another (its inode, size and mtime; hashing its ~40 KB cost a start ~0.3 ms).
    None for a checkout: an editable install's package is the source tree, with no
    dist-info beside it, and there the files' own stats are read so that an edit is
    noticed."""
    from ipemu import __version__
    path = os.path.join(os.path.dirname(ROOT), f"ipemu-{__version__}.dist-info", "RECORD")
    try:
        st = os.stat(path)
    except OSError:
        return None
    return f"installed:{path}:{st.st_dev}:{st.st_ino}:{st.st_size}:{st.st_mtime_ns}"


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
    """The bundle's file: beside ipemu's own .pyc files, or IPEMU_BUNDLE_FILE (a test
    that asserts on what its runs recorded keeps them apart from other processes')."""
    return os.environ.get("IPEMU_BUNDLE_FILE") or \
        os.path.join(ROOT, "__pycache__", f"oneshot.{sys.implementation.cache_tag}.marshal")


class BundleLoader(SourceFileLoader):
    """A module's own file loader (its __file__, source and package path are the
    file's), its code from the bundle."""

    def __init__(self, fullname: str, path: str, finder: "BundleFinder"):
        self.name = fullname        # FileLoader's two attributes, without its call
        self.path = path
        self.finder = finder

    def get_code(self, fullname: str):
        return self.finder.code_object(fullname)

    def create_module(self, spec):
        """The module with its __file__ and __cached__ already there: importlib's
        _init_module_attrs() asks for each with getattr() first, and each miss
        formats an AttributeError (~3 us apiece, 50 modules a start)."""
        module = type(sys)(spec.name)
        module.__file__ = spec.origin
        module.__cached__ = spec.cached
        return module

    def exec_module(self, module) -> None:
        name = module.__name__
        if self.finder.modules[name][5] > self.finder.modules[name][4]:    # a cold table
            module.__dict__[WAKE] = self.finder.waker(name, module.__dict__)
        exec(self.get_code(name), module.__dict__)   # noqa: S102 - our bytecode


class BundleFinder:
    """Finds ipemu's modules in the bundle: `index` says where each one's file and
    marshalled code are (name -> (file, start, end, k) from `base` in the open file
    `fd`, read with pread() as a module is imported): the code alone when k is -1,
    else the k-th of its group's (_groups()); then where its cold table is (two
    offsets, equal when it has none: `_stub_out()`)."""

    def __init__(self, key: str, index: dict, fd: int | None, base: int, before: set):
        self.key = key
        self.modules = index
        self.fd = fd
        self.base = base
        self.before = before        # imported before the finder was there
        self.methods: dict = {}     # plainclass's generated methods: source -> code
        self.located: dict = {}     # modules outside ipemu: name -> where (_locate())
        self.located_finders: tuple = ()    # the meta path behind this finder then
        self.served: set = set()    # the located modules this run found there
        self.groups: dict = {}      # a group's start -> its modules' code objects
        self.cold: dict = {}        # a module -> its cold table, once a stub asked
        self.woken: dict = {}       # a module -> {key: code} of the stubs called

    def find_spec(self, name: str, path=None, target=None):
        """The spec spec_from_file_location() makes for the module's file, made
        directly: that function and the pyc path it works out (cache_from_source())
        cost each import ~25 us of importlib's Python code, more than the rest of an
        import together."""
        entry = self.modules.get(name)
        if entry is None:
            return self._located_spec(name) if path is None and name in self.located \
                else None
        file = entry[0]
        folder, _, base = file.rpartition(os.sep)
        package = base == "__init__.py"
        spec = ModuleSpec(name, BundleLoader(name, file, self), origin=file,
                          is_package=package)
        spec.has_location = True
        spec.cached = f"{folder}{os.sep}__pycache__{os.sep}{base[:-3]}.{_TAG}.pyc" \
            if _PLAIN_CACHE else cache_from_source(file)
        if package:
            spec.submodule_search_locations = [folder]
        return spec

    def code(self, name: str) -> bytes:
        """The module's code, marshalled alone (its cold functions as stubs)."""
        _, start, end, k, _, _ = self.modules[name]
        if k < 0:
            return os.pread(self.fd, end - start, self.base + start)
        return marshal.dumps(self.code_object(name))

    def cold_table(self, name: str) -> dict:
        """The module's cold functions: (qualname, first line) -> marshalled code."""
        table = self.cold.get(name)
        if table is None:
            start, end = self.modules[name][4:]
            table = self.cold[name] = marshal.loads(
                os.pread(self.fd, end - start, self.base + start)) if end > start else {}
        return table

    def full_code(self, name: str):
        """The module's code as its file compiles it: every stub its own code again."""
        table = self.cold_table(name)
        return _stubs_replaced(self.code_object(name),
                               lambda key: marshal.loads(table[key]))

    def waker(self, name: str, namespace: dict):
        """The module's WAKE: what its stubs call (the stub is the caller's code)."""
        wake, getframe = self.wake, sys._getframe

        def __wake__():
            return wake(name, namespace, getframe(1).f_code)
        return __wake__

    def wake(self, name: str, namespace: dict, stub):
        """The function whose code is `stub`, with its real code now: found where its
        qualified name says (through staticmethod, classmethod, property and
        __wrapped__), else among the objects that refer to the stub (a function
        another decorator hid, or one its class's body calls before the class is
        bound to its name)."""
        key = (stub.co_qualname, stub.co_firstlineno)
        woken = self.woken.setdefault(name, {})
        real = woken.get(key)
        if real is None:
            real = woken[key] = marshal.loads(self.cold_table(name)[key])
        found = _function_named(namespace, stub.co_qualname, lambda code: code is stub)
        if found is None:
            # a function the module's body calls before its name is bound (a
            # class's body calling its helper): a stub only for what its name
            # finds (_stub_out()), so its objects are not frozen yet
            # (cli.collect_after_boot(); get_referrers() does not see those)
            import gc
            others = [f for f in gc.get_referrers(stub)
                      if type(f) is FunctionType and f.__code__ is stub]
            if not others:      # pragma: no cover - the frozen ones, the last resort
                gc.unfreeze()
                others = [f for f in gc.get_referrers(stub)
                          if type(f) is FunctionType and f.__code__ is stub]
                gc.freeze()
            for other in others:
                other.__code__ = real
            found = others[0] if others else FunctionType(real, namespace)
        found.__code__ = real
        return found

    def code_object(self, name: str):
        """The module's code object; a group's are unmarshalled together, when the
        first of them is imported."""
        _, start, end, k, _, _ = self.modules[name]
        if k < 0:
            return marshal.loads(os.pread(self.fd, end - start, self.base + start))
        group = self.groups.get(start)
        if group is None:
            group = self.groups[start] = marshal.loads(
                os.pread(self.fd, end - start, self.base + start))
        return group[k]

    def _located_spec(self, name: str):
        """A top-level module outside ipemu (__future__, the _heapq, _bisect and
        _sha256 extensions) where an earlier run's import found it, when sys.path
        would find it there again: the same entries ahead of its folder, each as it
        was (PathFinder's FileFinder keeps a folder's listing while the folder's
        mtime stays; the searches for these four cost a start ~0.7 M instructions),
        and the file still there. Else None: PathFinder searches as usual."""
        file, extension, entries = self.located[name]
        if sys.path[:len(entries)] != [entry for entry, _ in entries] or \
                finders_behind(self) != self.located_finders:
            return None
        for entry, mtime in entries:
            try:
                st = os.stat(entry)
            except OSError:
                st = None
            if (st and st.st_mtime_ns) != mtime:
                return None
        if not os.path.isfile(file):
            return None
        loader = (ExtensionFileLoader if extension else SourceFileLoader)(name, file)
        spec = ModuleSpec(name, loader, origin=file)
        spec.has_location = True
        if not extension:
            spec.cached = cache_from_source(file)
        self.served.add(name)
        return spec


def install() -> BundleFinder | None:
    """Serve ipemu's modules from the bundle from now on (None when turned off)."""
    if os.environ.get("IPEMU_NO_BUNDLE"):
        return None
    key = f"{FORMAT}:{fingerprint()}"
    index: dict = {}
    methods: dict = {}
    located: tuple = ({}, ())
    fd, base = None, 0
    try:
        # the file: the header's length (8 bytes), the header (the key, the index
        # and plainclass's methods, marshalled), then the modules' code one after
        # another; read in pieces (mmap's module costs a start more than the
        # few reads: a one-shot line takes some 60 of the file's 80-odd modules)
        fd = os.open(bundle_path(), os.O_RDONLY | getattr(os, "O_CLOEXEC", 0))
        size = int.from_bytes(os.pread(fd, 8, 0), "little")
        header = marshal.loads(os.pread(fd, size, 8))
        if isinstance(header, tuple) and len(header) == 4 and header[0] == key and \
                isinstance(header[1], dict) and isinstance(header[2], dict) and \
                isinstance(header[3], tuple) and len(header[3]) == 2 and \
                8 + size + max((max(e[2], e[5]) for e in header[1].values()),
                               default=0) <= \
                os.fstat(fd).st_size:       # not cut short
            index, methods, base = header[1], header[2], 8 + size
            located = header[3]
    except (OSError, EOFError, ValueError, TypeError):
        pass        # none yet, or damaged: made again at the end
    if not index and fd is not None:
        os.close(fd)
        fd = None
    finder = BundleFinder(key, index, fd, base, set(sys.modules))
    finder.located, finder.located_finders = located
    sys.meta_path.insert(0, finder)
    _direct_loads(finder)
    # the methods plainclass generates, by their source (plainclass.CODE)
    from ipemu import plainclass
    plainclass.CODE.update(methods)
    finder.methods = methods
    return finder


_ACTIVE: list = []      # the finder _find_and_load() serves directly (the last installed)


def _direct_loads(finder: BundleFinder) -> None:
    """A module of the bundle imported without importlib's Python: CPython's import
    statement calls importlib's _find_and_load() for any module not in sys.modules,
    which takes the module's lock, asks each finder for a spec, makes the module
    from it and runs it (~6 us of Python a module, some 55 a one-shot line). While
    the finders ahead of this one decline it and no thread can import beside this
    one, a module it holds is made here as _load_unlocked() would make it from the
    finder's spec (the same module, attributes and sys.modules entry); anything
    else takes importlib's own path."""
    try:
        import _frozen_importlib as bootstrap
        usual = bootstrap._find_and_load
    except (ImportError, AttributeError):   # pragma: no cover - another Python's layout
        return
    _ACTIVE[:] = [finder]
    if getattr(usual, "__module__", None) == __name__:
        return      # installed before: it serves the new finder now

    def _find_and_load(name, import_):
        finder = _ACTIVE[0]
        if name not in finder.modules or name in sys.modules or \
                "threading" in sys.modules or sys.flags.verbose:
            return usual(name, import_)
        parent, _, child = name.rpartition(".")
        parent_spec = path = None
        if parent:
            if parent not in sys.modules:
                import_(parent)
                if name in sys.modules:     # the parent's import imported it
                    return sys.modules[name]
            parent_module = sys.modules[parent]
            if not hasattr(parent_module, "__path__"):
                return usual(name, import_)     # importlib says why it is no package
            parent_spec = parent_module.__spec__
            path = parent_module.__path__
        # the finders ahead of this one (state.py's, while a snapshot's stand-ins wait
        # for their modules) are asked first, as importlib's _find_spec() asks them
        for ahead in sys.meta_path:
            if ahead is finder:
                break
            find = getattr(ahead, "find_spec", None)
            if find is None or find(name, path) is not None:
                return usual(name, import_)
        else:
            return usual(name, import_)     # the finder is not there any more
        spec = finder.find_spec(name)
        if parent_spec:     # for the error of a circular `from parent import child`
            parent_spec._uninitialized_submodules.append(child)
        try:
            module = _load(name, spec)
        finally:
            if parent_spec:
                parent_spec._uninitialized_submodules.pop()
        if parent:
            setattr(sys.modules[parent], child, module)
        return module

    def _load(name, spec):
        module = spec.loader.create_module(spec)
        # _init_module_attrs(): __file__ and __cached__ are there already
        module.__loader__ = spec.loader
        module.__package__ = spec.parent
        module.__spec__ = spec
        if spec.submodule_search_locations is not None:
            module.__path__ = spec.submodule_search_locations
        spec._initializing = True
        try:
            sys.modules[name] = module
            try:
                spec.loader.exec_module(module)
            except BaseException:
                try:
                    del sys.modules[name]
                except KeyError:
                    pass
                raise
            module = sys.modules.pop(name)      # what the module put there for itself
            sys.modules[name] = module
        finally:
            spec._initializing = False
        return module

    _find_and_load.__module__ = __name__
    bootstrap._find_and_load = _find_and_load


def save(finder: BundleFinder | None) -> None:
    """Add the ipemu modules this run imported from their own files to the bundle
    (written atomically; a package directory that is not writable keeps none)."""
    if finder is None:
        return
    _entry_bytecode()
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
            code = SourceFileLoader(name, file).get_code(name)
        except (OSError, SyntaxError, ValueError):
            continue
        cold: dict = {}
        new[name] = (file, _stub_out(code, cold, vars(module)), cold)
    woken = {name: keys for name, keys in finder.woken.items() if keys}
    located = {**finder.located, **_locate(finder)}      # where they are now
    groups = _groups(finder, new)
    if not new and not methods and not woken and located == finder.located and \
            groups is None:
        return
    # the code written anew: the modules this run brought, and those whose functions
    # it woke (those functions in their module's code now); the file's other groups
    # and cold tables are copied as they are (a rewrite cost a run ~80 ms when every
    # group was unmarshalled and marshalled again)
    fresh = {name: code for name, (_, code, _) in new.items()}
    for name, keys in woken.items():
        fresh[name] = _stubs_replaced(finder.code_object(name), keys.get)
    index, parts, at = {}, [], 0
    for group in groups or _groups(finder, new, always=True):
        code = None if any(name in fresh for name in group) else _stored_group(finder, group)
        if code is None:
            objects = [fresh.get(name) or finder.code_object(name) for name in group]
            code = marshal.dumps(objects[0] if len(group) == 1 else tuple(objects))
        for k, name in enumerate(group):
            file = new[name][0] if name in new else finder.modules[name][0]
            index[name] = (file, at, at + len(code), -1 if len(group) == 1 else k)
        parts.append(code)
        at += len(code)
    for name, entry in index.items():
        if name in new or name in woken:
            cold = new[name][2] if name in new else \
                {key: real for key, real in finder.cold_table(name).items()
                 if key not in woken[name]}
            table = marshal.dumps(cold) if cold else b""
        else:
            start, end = finder.modules[name][4:]
            table = os.pread(finder.fd, end - start, finder.base + start)
        index[name] = (*entry, at, at + len(table))
        parts.append(table)
        at += len(table)
    header = marshal.dumps((finder.key, index, {**finder.methods, **methods},
                            (located, finders_behind(finder))))
    write_atomic(bundle_path(), [len(header).to_bytes(8, "little"), header, *parts])


def _stored_group(finder: BundleFinder, group: list) -> bytes | None:
    """The group's code as the file holds it, when the file has it so: the same
    modules, in the same order, and no other; else None."""
    entries = [finder.modules.get(name) for name in group]
    if None in entries or finder.fd is None:
        return None
    _, start, end, k, _, _ = entries[0]
    if len(group) == 1:
        whole = k < 0
    else:
        whole = [e[3] for e in entries] == list(range(len(group))) and \
            all(e[1] == start for e in entries) and \
            sum(e[1] == start and e[3] >= 0 for e in finder.modules.values()) == len(group)
    return os.pread(finder.fd, end - start, finder.base + start) if whole else None


def write_atomic(path: str, chunks: list) -> None:
    """`path` holding the bytes `chunks`, as a .pyc is written: a file of this
    process's own beside it renamed over it (a reader sees the old file or the new
    one whole), nothing at all where the folder cannot be written."""
    tmp = f"{path}.{os.getpid()}.tmp"
    try:
        folder = os.path.dirname(path)
        if folder:
            os.makedirs(folder, exist_ok=True)
        with open(tmp, "wb") as fh:
            for chunk in chunks:
                fh.write(chunk)
        os.replace(tmp, path)
    except OSError:
        try:
            os.unlink(tmp)
        except OSError:
            pass


def _groups(finder: BundleFinder, new: dict, always: bool = False) -> list | None:
    """The modules in groups unmarshalled together, as one-shot runs import them: one
    marshal string of a group's code objects writes each name they share once,
    where a module's own string repeats it and its load creates and interns it
    again (~17% of the loads of `ip link show`'s modules). The modules a run
    imports first are a group; a group a later run imports only part of is split
    in two, the part it imported and the rest (partition refinement: the groups
    only ever get smaller, each one modules every run so far imported all or none
    of). None when this run split none and brought none (`always`: the groups as
    they are)."""
    old: dict = {}
    for name, (_, start, _, k, _, _) in finder.modules.items():
        old.setdefault(start if k >= 0 else (name,), []).append(name)
    groups = []
    split = False
    for group in old.values():
        taken = [name for name in group if name in sys.modules]
        if taken and len(taken) < len(group):
            split = True
            groups += [taken, [name for name in group if name not in sys.modules]]
        else:
            groups.append(group)
    if new:
        groups.append(list(new))
    return groups if split or new or always else None


def finders_behind(finder: BundleFinder) -> tuple:
    """The meta path's finders behind the bundle's, by class (the standard three, and
    an editable install's): another one there may find a module elsewhere, so a
    located module is served only with the same ones behind."""
    meta = sys.meta_path
    behind = meta[meta.index(finder) + 1:] if finder in meta else meta
    return tuple(f"{f.__module__}.{f.__qualname__}" if isinstance(f, type) else
                 f"{type(f).__module__}.{type(f).__qualname__}" for f in behind)


def _locate(finder: BundleFinder) -> dict:
    """The top-level modules outside ipemu this run imported with PathFinder from a
    folder on sys.path (a .py or an extension; not a package), with the entries
    sys.path searched up to it and each one's mtime (None: not there). One known
    under another sys.path (`python -m` from another folder: its first entry is
    the working directory) is left as it is: runs of both kinds would otherwise
    write the bundle again in turn."""
    found = {}
    for name, module in list(sys.modules.items()):
        if "." in name or name in finder.before or name in finder.served:
            continue
        known = finder.located.get(name)
        if known is not None and \
                sys.path[:len(known[2])] != [entry for entry, _ in known[2]]:
            continue
        spec = getattr(module, "__spec__", None)
        loader = getattr(spec, "loader", None)
        file = getattr(spec, "origin", None)
        if type(loader) not in (SourceFileLoader, ExtensionFileLoader) or \
                not isinstance(file, str) or spec.submodule_search_locations is not None:
            continue
        folder = os.path.dirname(file)
        if folder not in sys.path:
            continue
        entries = []
        for entry in sys.path[:sys.path.index(folder) + 1]:
            try:
                st = os.stat(entry)
            except OSError:
                entries.append((entry, None))
                continue
            if not os.path.isdir(entry):
                break       # a zip ahead: its contents are not its mtime's
            entries.append((entry, st.st_mtime_ns))
        else:
            found[name] = (file, type(loader) is ExtensionFileLoader, tuple(entries))
    return found


# --- the cold functions (the module docstring's last paragraph) ---

WAKE = "__wake__"       # the name a stub calls, in its module's namespace
_FUNCTION = 0x03        # CO_OPTIMIZED | CO_NEWLOCALS: a function's code (not a class body's)
_STUBS: list = []       # the stub's two codes: without a cell, and with __class__'s


def _stub_codes() -> list:
    """A stub: the function's own names and place, any arguments, and the real code
    called with them (BundleFinder.wake() puts it in the function first). A method
    that uses super() or __class__ has that cell, and its stub has it too: a
    function's code is replaced only by one with the same free variables."""
    if not _STUBS:
        plain = compile(f"def f(*args, **kwargs):\n    return {WAKE}()(*args, **kwargs)\n",
                        "<stub>", "exec")
        cell = compile(f"def o():\n    __class__ = None\n    def f(*args, **kwargs):\n"
                       f"        __class__\n        return {WAKE}()(*args, **kwargs)\n"
                       f"    return f\n", "<stub>", "exec")
        outer = next(c for c in cell.co_consts if isinstance(c, CodeType))
        _STUBS[:] = [next(c for c in plain.co_consts if isinstance(c, CodeType)),
                     next(c for c in outer.co_consts if isinstance(c, CodeType))]
    return _STUBS


def _stub_out(code: CodeType, cold: dict, namespace: dict | None = None) -> CodeType:
    """`code` (a module's, or a class body's in it) with each function it defines
    a stub, the function's own code marshalled into `cold` by its qualified name
    and first line. Comprehensions and lambdas a body runs stay; so does a
    function with other free variables than __class__ (none at a module's level),
    and, given the module's `namespace` as its code made it, one its name does not
    find there (a decorator's that hides it: BundleFinder.wake() finds a stub's
    function by its name)."""
    def stubbed(const: CodeType) -> CodeType:
        key = (const.co_qualname, const.co_firstlineno)
        if const.co_flags & _FUNCTION == 0:         # a class's body
            return _stub_out(const, cold, namespace)
        if const.co_name[:1] == "<" or const.co_freevars not in ((), ("__class__",)) or \
                key in cold or (namespace is not None and not _function_named(
                    namespace, key[0], lambda c: (c.co_qualname, c.co_firstlineno) == key)):
            return const
        cold[key] = marshal.dumps(const)
        plain, cell = _stub_codes()
        return (cell if const.co_freevars else plain).replace(
            co_name=const.co_name, co_qualname=const.co_qualname,
            co_filename=const.co_filename, co_firstlineno=const.co_firstlineno)
    return _codes_mapped(code, stubbed)


def _stubs_replaced(code: CodeType, real_of) -> CodeType:
    """`code` with each stub whose key `real_of` knows its real code again."""
    def replaced(const: CodeType) -> CodeType:
        if const.co_flags & _FUNCTION == 0:
            return _stubs_replaced(const, real_of)
        if WAKE in const.co_names:
            return real_of((const.co_qualname, const.co_firstlineno)) or const
        return const
    return _codes_mapped(code, replaced)


def _codes_mapped(code: CodeType, each) -> CodeType:
    """`code` with each code object among its constants what `each` makes of it
    (itself when nothing changed)."""
    consts = tuple(each(c) if isinstance(c, CodeType) else c for c in code.co_consts)
    if all(new is old for new, old in zip(consts, code.co_consts)):
        return code
    return code.replace(co_consts=consts)


def _function_named(namespace: dict, qualname: str, is_it):
    """The function of the module `namespace` of that qualified name whose code
    `is_it`, where the name leads (classes' own dicts; a staticmethod's,
    classmethod's or property's functions; a functools wrapper's __wrapped__); None
    when not there. Only plain attribute reads: nothing of a class or module is made
    by looking."""
    first, *rest = qualname.split(".")
    found = namespace.get(first)
    for part in rest:
        if not isinstance(found, type):
            return None
        found = found.__dict__.get(part)
    for _ in range(8):
        if found is None:
            return None
        if type(found) is FunctionType:
            if is_it(found.__code__):
                return found
        elif isinstance(found, property):
            return next((f for f in (found.fget, found.fset, found.fdel)
                         if type(f) is FunctionType and is_it(f.__code__)), None)
        elif isinstance(found, (staticmethod, classmethod)):
            found = found.__func__
            continue
        try:
            found = object.__getattribute__(found, "__dict__").get("__wrapped__")
        except AttributeError:
            return None
    return None


# imported before the bundle's finder is there: from their .pyc, like any module
_ENTRY = ("ipemu", "ipemu.cli", "ipemu.codebundle")


def _entry_bytecode() -> None:
    """The .pyc of the modules a start imports before the bundle's finder, written
    when missing or stale (as the import would have, but for PYTHONDONTWRITEBYTECODE,
    which leaves the bundle itself be: without it each start compiled ipemu/cli.py
    and this file from source, ~3 ms). At the end of a run, after its output; not
    when bytecode is written (the import itself wrote what was missing or stale:
    three files opened and read for nothing)."""
    if not sys.dont_write_bytecode:
        return
    for name in _ENTRY:
        file = getattr(getattr(sys.modules.get(name), "__spec__", None), "origin", None)
        if not isinstance(file, str) or not file.endswith(".py"):
            continue
        try:
            st = os.stat(file)
            pyc = cache_from_source(file)
            want = MAGIC_NUMBER + bytes(4) + \
                (int(st.st_mtime) & 0xFFFFFFFF).to_bytes(4, "little") + \
                (st.st_size & 0xFFFFFFFF).to_bytes(4, "little")
            with open(pyc, "rb") as fh:
                if fh.read(16) == want:
                    continue
        except OSError:
            pass
        try:
            import py_compile       # only when one is missing or stale
            py_compile.compile(file, cfile=pyc, doraise=True,
                               invalidation_mode=py_compile.PycInvalidationMode.TIMESTAMP)
        except (OSError, py_compile.PyCompileError, NameError):
            pass

