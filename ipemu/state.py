"""The host as a value: a whole simulated host (its namespaces, devices, tables,
neighbours with their timers, processes, files, clock) saved and restored as one
versioned JSON document.

Everything a host holds is data: instances of ipemu's own classes (dataclasses, a few
plain classes), containers, addresses, bytes, enums, the seeded random generator, and
clock timers that name their target and action. The document is a graph: every object
and every mutable container is written once, in a table, and referred to by its
number, so shared references (a veth's peer, a timer's target, a job's process) and
cycles come back as they were.

Only classes defined in ipemu's own modules can be named in a document, and restoring
one runs none of its code (objects are made with `__new__` and filled in); a closure
anywhere in the state refuses to save, because state must be data. A class may name
attributes that are caches (`__transient__`) and rebuild them in `__restore__()`.
"""
from __future__ import annotations

import os
import sys

from ipemu.kernel.enums import is_enum, is_enum_class

FORMAT = "ipemu-state"
# types.FunctionType, BuiltinFunctionType, MethodType as types.py makes them (importing
# `types` costs a start ~0.3 ms)
_FUNCTION = type(lambda: None)
_BUILTIN = type(len)


class _C:
    def _m(self) -> None:
        pass


_METHOD = type(_C()._m)
VERSION = 2       # 2: routing tables and the clock saved by their indexes (perf19)


class LazyRandom:
    """A restored host's random.Random, made (and given its saved state) on first use:
    a one-shot `ip link show` draws no number, and importing random costs a start
    ~1 ms. Every attribute is then the generator's own, each method kept on this
    object after its first look-up, so a draw costs what it costs on random.Random
    and the numbers are the same ones."""

    def __init__(self) -> None:
        self.__dict__["_pending"] = None

    def __getattr__(self, name: str):
        if name.startswith("__"):       # copy's and pickle's probes: none of ours
            raise AttributeError(name)
        own = self.__dict__
        real = own.get("_real")
        if real is None:
            import random
            real = own["_real"] = random.Random()
            real.setstate(own["_pending"])
        value = getattr(real, name)
        if callable(value):
            own[name] = value
        return value


def _is_rng(v) -> bool:
    """A random generator: a restored one, or a random.Random (none exists while the
    random module is not imported)."""
    if type(v) is LazyRandom:
        return True
    module = sys.modules.get("random")
    return module is not None and isinstance(v, module.Random)


class StateError(Exception):
    """A state that cannot be saved or a file that cannot be restored; the message is
    the one line the user sees."""


_IP_KINDS: dict = {}        # ipaddress's types -> their tag, once ipaddress is imported
_IP_TYPES: dict = {}


def _ip_kinds() -> dict:
    """The tags of ipaddress's values (made on first need: a snapshot's `ip link show`
    never imports ipaddress, and no value of it exists before it is imported)."""
    if not _IP_KINDS and "ipaddress" in sys.modules:
        import ipaddress
        _IP_KINDS.update({
            ipaddress.IPv4Address: "4a", ipaddress.IPv6Address: "6a",
            ipaddress.IPv4Network: "4n", ipaddress.IPv6Network: "6n",
            ipaddress.IPv4Interface: "4i", ipaddress.IPv6Interface: "6i"})
    return _IP_KINDS


def _ip_type(kind: str) -> type:
    if not _IP_TYPES:
        import ipaddress  # noqa: F401 - _ip_kinds() tells them apart
        _IP_TYPES.update({v: k for k, v in _ip_kinds().items()})
    return _IP_TYPES[kind]


_NAMES: dict[type, str] = {}


def _class_name(cls: type) -> str:
    name = _NAMES.get(cls)
    if name is None:
        name = _NAMES[cls] = f"{cls.__module__}:{cls.__qualname__}"
    return name


def _is_ipemu_class(cls: type) -> bool:
    return cls.__module__ == "ipemu" or cls.__module__.startswith("ipemu.")


def _attributes(obj):
    """An object's attributes: its __dict__, or its slots that are set."""
    if hasattr(obj, "__dict__"):
        return vars(obj).items()
    return [(name, getattr(obj, name)) for name in type(obj).__slots__ if hasattr(obj, name)]


class _Encoder:
    """Objects and containers get a table entry on first sight; their contents are
    written from a work list, so a deep graph needs no deep recursion."""

    def __init__(self) -> None:
        self.table: list = []
        self.index: dict[int, int] = {}
        self.keep: list = []          # keeps encoded objects alive (ids stay unique)
        self.pending: list[int] = []

    def ref(self, obj) -> dict:
        key = id(obj)
        n = self.index.get(key)
        if n is None:
            n = self.index[key] = len(self.table)
            self.keep.append(obj)
            self.table.append(None)
            self.pending.append(n)
        return {"$r": n}

    def run(self) -> None:
        while self.pending:
            n = self.pending.pop()
            self.table[n] = self.entry(self.keep[n])

    def entry(self, v) -> dict:
        # a str, an int, a bool or None is written as it is: no call for the most
        # common values
        value, plain = self.value, _PLAIN
        if isinstance(v, list):
            return {"l": [x if type(x) in plain else value(x) for x in v]}
        if isinstance(v, dict):
            return {"d": [[k if type(k) in plain else value(k),
                           x if type(x) in plain else value(x)] for k, x in v.items()]}
        if isinstance(v, set):
            return {"s": [value(x) for x in v]}
        if _is_rng(v):
            return {"rng": value(v.getstate())}
        cls = type(v)
        skip = getattr(cls, "__transient__", ())
        return {"c": _class_name(cls),
                "a": {name: x if type(x) in plain else value(x)
                      for name, x in _attributes(v) if name not in skip}}

    def value(self, v):
        kind = type(v)
        # the exact types first (one dict lookup); subclasses (enums are ints) and
        # the rest go the long way
        if kind in _PLAIN:
            return v
        if kind is float:
            return v if v == v and v not in (_INF, _NINF) else {"$f": repr(v)}
        if kind in _REFS:
            return self.ref(v)
        if kind is tuple:
            return {"$t": [self.value(x) for x in v]}
        return self._other(v)

    def _other(self, v):
        if v is None or isinstance(v, (bool, str)):
            return v
        if isinstance(v, _Deferred):
            _materialise(v)         # saved as an object of its own class
        if is_enum(v):
            return {"$e": _class_name(type(v)), "v": v.value}
        if isinstance(v, int):
            return v
        if isinstance(v, float):
            return v if v == v and v not in (_INF, _NINF) else {"$f": repr(v)}
        if isinstance(v, (list, dict, set)):
            return self.ref(v)
        if isinstance(v, tuple):
            return {"$t": [self.value(x) for x in v]}
        if isinstance(v, frozenset):
            return {"$fs": [self.value(x) for x in v]}
        if isinstance(v, bytes):
            return {"$b": v.hex()}
        if isinstance(v, bytearray):
            return {"$ba": v.hex()}
        kind = _ip_kinds().get(type(v))
        if kind is not None:
            return {"$ip": str(v), "k": kind}
        if _is_rng(v):
            return self.ref(v)      # one generator shared by the whole host stays one
        if isinstance(v, _METHOD) and not isinstance(v.__self__, type):
            return {"$m": self.value(v.__self__), "n": v.__func__.__name__}
        if isinstance(v, (_FUNCTION, _BUILTIN)):
            raise StateError(f"ipemu: cannot save the host: a function ({v.__qualname__}) "
                             "is part of its state")
        cls = type(v)
        if _is_ipemu_class(cls) and (hasattr(v, "__dict__") or hasattr(cls, "__slots__")):
            return self.ref(v)
        raise StateError(f"ipemu: cannot save the host: a {cls.__module__}.{cls.__qualname__} "
                         "is part of its state")


# the encoder's fast paths: types written as they are, and containers by reference
_PLAIN = frozenset({str, int, bool, type(None)})
_REFS = frozenset({list, dict, set})
_INF, _NINF = float("inf"), float("-inf")
# what a parsed document holds that stands for itself (a dict is a reference or a
# tagged value, a list is never bare)
_SCALARS = frozenset({str, int, float, bool, type(None)})


def document(root) -> dict:
    """The document of `root` as data: what dumps() writes as JSON."""
    enc = _Encoder()
    top = enc.value(root)
    enc.run()
    from ipemu import __version__
    return {"format": FORMAT, "version": VERSION, "ipemu": __version__, "root": top,
            "table": enc.table}


def dumps(root) -> str:
    """The document of `root` (a host, a shell, or any structure holding them)."""
    import json
    # the document is a tree (shared objects are table entries): no cycle to look for
    return json.dumps(document(root), separators=(",", ":"), check_circular=False)


_CLASSES: dict[str, type] = {}     # names already resolved (a document names few)


def _load_class(name: str) -> type:
    cls = _CLASSES.get(name)
    if cls is None:
        cls = _CLASSES[name] = _find_class(name)
    return cls


def _find_class(name: str) -> type:
    module, _, qualname = name.partition(":")
    if not (module == "ipemu" or module.startswith("ipemu.")) or not qualname:
        raise StateError(f"names a class outside ipemu ({name})")
    try:
        __import__(module)      # importlib.import_module()'s, without importlib
        obj = sys.modules[module]
        for part in qualname.split("."):
            obj = getattr(obj, part)
    except (ImportError, AttributeError):
        raise StateError(f"names an unknown class ({name})") from None
    if not isinstance(obj, type):
        raise StateError(f"names something that is not a class ({name})")
    return obj


# what a one-shot `ip link show` never touches: the packet path (the stack and its
# counters, the world behind eth0), the routing tables and rules, the addresses, the
# multicast lists and the neighbour tables. A booted host's snapshot restores these
# classes' objects as stand-ins (_Deferred) while their module is not imported, and
# decodes what they hold only when they become their class: then `ip link show`
# imports none of those modules (nor ipaddress; the packet path alone cost a start
# ~7 ms). Each is a plain class (a __dict__, no __slots__: tests/test_startup.py).
DEFERRED = frozenset({"ipemu.kernel.stack:Stack", "ipemu.kernel.snmp:Mib",
                      "ipemu.kernel.world:World", "ipemu.kernel.world:Router",
                      "ipemu.kernel.world:Remote", "ipemu.kernel.fib:FibTable",
                      "ipemu.kernel.fib_rules:Rule", "ipemu.kernel.addr:Ifa4",
                      "ipemu.kernel.addr:Ifa6", "ipemu.kernel.mcast:McGroup",
                      "ipemu.kernel.mcast:HwMcAddr", "ipemu.kernel.neigh:NeighTable",
                      "ipemu.kernel.neigh:NeighParams", "ipemu.kernel.neigh:Neighbour"})
# the stand-ins not yet made their class, by module, in document order; each one's
# decoder, raw attributes and class name by id (the list keeps it alive)
_PENDING: dict[str, list] = {}
_RAW: dict[int, tuple] = {}
_DECODING: list = []    # a snapshot being decoded: the wakes wait for its end


class _Deferred:
    """An object restored before its module is imported: the first look-up of
    anything on it (an attribute, a method, a comparison, its hash or repr, an
    assignment) imports the module, and the module's import makes every stand-in
    of its classes an object of its own class (`__class__` assigned: both plain
    classes with a __dict__), its attributes decoded then and its __restore__()
    run. So nothing can test one against its class before it is that class. One
    class stands in for all of them (its class's name is kept with its attributes):
    a class of its own for each cost a start ~60k instructions apiece."""

    def __getattr__(self, name: str):
        _materialise(self)
        return getattr(self, name)

    def __setattr__(self, name: str, value) -> None:
        _materialise(self)
        setattr(self, name, value)

    def __delattr__(self, name: str) -> None:
        _materialise(self)
        delattr(self, name)

    def __eq__(self, other):
        _materialise(self)
        return self == other

    def __ne__(self, other):
        _materialise(self)
        return self != other

    def __hash__(self):
        _materialise(self)
        return hash(self)

    def __repr__(self) -> str:
        _materialise(self)
        return repr(self)

    def __bool__(self) -> bool:
        _materialise(self)
        return bool(self)

    def __len__(self) -> int:
        _materialise(self)
        return len(self)


def _deferred_class(name: str) -> type:
    """The class of a stand-in for an object of the class `name`."""
    return _Deferred


def _materialise(obj) -> None:
    """The deferred `obj` made an object of its own class: its module imported now,
    which makes every stand-in of that module its class (_wake())."""
    if type(obj) is not _Deferred:
        return
    name = _RAW[id(obj)][2]
    _load_class(name)
    _wake(name.partition(":")[0])     # if the import came some other way


def _wake(module: str) -> None:
    """The stand-ins of `module`'s classes made their class (the module is imported):
    first every one's attributes (what they hold decoded, in the document's order),
    then their __restore__()s, as a whole document's decoding does."""
    objs = _PENDING.pop(module, None)
    if not objs:
        return
    made: dict = {}     # decoder -> the objects it made now (each host's snapshot its own)
    for obj in objs:
        decoder, attrs, name = _RAW.pop(id(obj))
        real = _load_class(name)
        done = made.setdefault(decoder, [])
        done.extend(decoder.reach(list(attrs.values())))
        object.__setattr__(obj, "__class__", real)
        decoder.set_attributes(obj, attrs)
        done.append(obj)
    for decoder, done in made.items():
        decoder.restore(done)


class _WakeFinder:
    """Ahead of the other finders while stand-ins wait: the import of one of their
    modules, however it comes, makes them their class once the module has run."""

    def find_spec(self, name: str, path=None, target=None):
        if name not in _PENDING:
            return None
        finders = sys.meta_path[sys.meta_path.index(self) + 1:] if self in sys.meta_path \
            else sys.meta_path
        for finder in finders:
            find = getattr(finder, "find_spec", None)
            spec = find(name, path, target) if find is not None else None
            if spec is not None:
                if spec.loader is not None:
                    spec.loader = _WakingLoader(spec.loader)
                return spec
        return None


class _WakingLoader:
    """A module's own loader, and then the wake of its stand-ins."""

    def __init__(self, loader) -> None:
        self.loader = loader

    def create_module(self, spec):
        return self.loader.create_module(spec)

    def exec_module(self, module) -> None:
        self.loader.exec_module(module)
        spec = module.__spec__
        if spec is not None and spec.loader is self:
            spec.loader = module.__loader__ = self.loader     # itself from now on
        if not _DECODING:       # else at the decoding's end, its objects all filled
            _wake(module.__name__)

    def __getattr__(self, name: str):
        return getattr(self.loader, name)


_WAKE_FINDER = _WakeFinder()
_UNMADE = object()


class _Decoder:
    def __init__(self, table: list, defer: bool = False, later: bytes | None = None) -> None:
        self.table = table
        self.defer = defer
        # the entries a snapshot keeps apart (None in the table): marshal data of
        # [[n, entry], ...], read when one of them is first made (split_later())
        self.later = later
        self.made: list = [_UNMADE] * len(table)
        self.index: dict[int, int] = {}     # id of a made object -> its entry
        if not defer:
            for n in range(len(table)):
                self._make(n)

    def _read_later(self) -> None:
        import marshal      # a snapshot's part, trusted as the snapshot is
        later, self.later = self.later, None
        for n, entry in marshal.loads(later):
            self.table[n] = entry

    def _make(self, n: int):
        entry = self.table[n]
        if entry is None and self.later is not None:
            self._read_later()
            entry = self.table[n]
        if "c" in entry:
            name = entry["c"]
            module = name.partition(":")[0]
            if self.defer and name in DEFERRED and module not in sys.modules:
                obj = object.__new__(_Deferred)
                _PENDING.setdefault(module, []).append(obj)
                _RAW[id(obj)] = (self, entry["a"], name)
                if _WAKE_FINDER not in sys.meta_path:
                    sys.meta_path.insert(0, _WAKE_FINDER)
            else:
                cls = _load_class(name)
                obj = cls.__new__(cls)
        elif "l" in entry:
            obj = []
        elif "d" in entry:
            obj = {}
        elif "s" in entry:
            obj = set()
        elif "rng" in entry:
            obj = LazyRandom()
        else:
            raise StateError("has an entry of no known kind")
        self.made[n] = obj
        self.index[id(obj)] = n
        return obj

    def reach(self, raws: list) -> list:
        """The entries the raw values refer to made (and what those hold, but for
        stand-ins: theirs wait), filled; the objects among them, for restore()."""
        todo = _refs(raws, [])
        new = []
        table, made = self.table, self.made
        while todo:
            n = todo.pop()
            if made[n] is not _UNMADE:
                continue
            obj = self._make(n)
            new.append(n)
            if isinstance(obj, _Deferred):
                continue
            entry = table[n]
            for rank in ("a", "l", "d", "s", "rng"):
                if rank in entry:
                    raw = entry[rank]
                    _refs(raw.values() if rank == "a" else raw, todo)
                    break
        new.sort()
        self.fill(new)
        return [made[n] for n in new if "c" in table[n] and not isinstance(made[n], _Deferred)]

    def fill(self, numbers) -> None:
        # objects first, then lists, then dicts and sets: keys are hashed only once
        # every object they may contain is complete
        ranks: dict[str, list] = {"c": [], "l": [], "d": [], "s": [], "rng": []}
        table, made = self.table, self.made
        for n in numbers:
            entry, obj = table[n], made[n]
            for rank, pairs in ranks.items():
                if rank in entry:
                    pairs.append((entry[rank] if rank != "c" else entry["a"], obj))
                    break
        value, scalar = self.value, _SCALARS
        for attrs, obj in ranks["c"]:
            if not isinstance(obj, _Deferred):
                self.set_attributes(obj, attrs)
        for items, obj in ranks["l"]:
            obj.extend([x if type(x) in scalar else value(x) for x in items])
        for items, obj in ranks["d"]:
            obj.update([(k if type(k) in scalar else value(k),
                         x if type(x) in scalar else value(x)) for k, x in items])
        for items, obj in ranks["s"]:
            obj.update([value(x) for x in items])
        for raw, obj in ranks["rng"]:
            obj.__dict__["_pending"] = value(raw)

    def set_attributes(self, obj, attrs: dict) -> None:
        value, scalar = self.value, _SCALARS
        setattr_ = object.__setattr__
        for name, raw in attrs.items():
            setattr_(obj, name, raw if type(raw) in scalar else value(raw))

    def restore(self, objs: list) -> None:
        """__restore__() of each object, in the document's order."""
        index = self.index
        for obj in sorted(objs, key=lambda o: index[id(o)]):
            restore = getattr(type(obj), "__restore__", None)
            if restore is not None:
                restore(obj)

    def value(self, v):
        if type(v) is not dict:
            if isinstance(v, list):
                raise StateError("has a bare list")
            if isinstance(v, dict):
                return self._tagged(v)
            return v
        if "$r" in v:
            return self.made[v["$r"]]
        return self._tagged(v)

    def _tagged(self, v):
        if "$r" in v:
            return self.made[v["$r"]]
        if "$t" in v:
            # a scalar is itself (value()'s answer) without a call: a snapshot's
            # tuples hold some 600 ints (~0.3 M instructions of a one-shot start)
            value, scalar = self.value, _SCALARS
            return tuple([x if type(x) in scalar else value(x) for x in v["$t"]])
        if "$e" in v:
            cls = _load_class(v["$e"])
            if not is_enum_class(cls):
                raise StateError(f"names a class that is not an enum ({v['$e']})")
            return cls(v["v"])
        if "$b" in v:
            return bytes.fromhex(v["$b"])
        if "$ba" in v:
            return bytearray.fromhex(v["$ba"])
        if "$ip" in v:
            return _ip_type(v["k"])(v["$ip"])
        if "$f" in v:
            return float(v["$f"])
        if "$fs" in v:
            return frozenset(self.value(x) for x in v["$fs"])
        if "$m" in v:
            return getattr(self.value(v["$m"]), v["n"])
        raise StateError("has a value of no known kind")


def split_later(doc: dict) -> dict:
    """A document with the entries a deferred decoding does not make (those only
    the DEFERRED classes' objects lead to: routes, rules, addresses, neighbours,
    the world...) kept apart as one marshal string under "later", their places in
    the table None: a snapshot's load unmarshals only what the host's first use
    needs (the rest was ~35% of the default host's snapshot: ~0.6 M instructions
    of every one-shot start). from_document() reads it back on first need."""
    import marshal
    table = doc["table"]
    eager = [False] * len(table)
    todo = _refs([doc["root"]], [])
    while todo:
        n = todo.pop()
        if eager[n]:
            continue
        eager[n] = True
        entry = table[n]
        if entry.get("c") in DEFERRED:
            continue        # a stand-in: what it holds waits for its module
        for rank in ("a", "l", "d", "s", "rng"):
            if rank in entry:
                raw = entry[rank]
                _refs(raw.values() if rank == "a" else raw, todo)
                break
    later = [[n, entry] for n, entry in enumerate(table) if not eager[n]]
    if not later:
        return doc
    split = dict(doc)
    split["table"] = [entry if eager[n] else None for n, entry in enumerate(table)]
    split["later"] = marshal.dumps(later)
    return split


def _refs(raws, into: list) -> list:
    """The entry numbers the raw values refer to (in tuples, frozensets and bound
    methods too), added to `into`."""
    for raw in raws:
        kind = type(raw)
        if kind is dict:
            if "$r" in raw:
                into.append(raw["$r"])
            elif "$t" in raw:
                _refs(raw["$t"], into)
            elif "$fs" in raw:
                _refs(raw["$fs"], into)
            elif "$m" in raw:
                _refs((raw["$m"],), into)
        elif kind is list:
            _refs(raw, into)       # a dict entry's [key, value] pair
    return into


def loads(text: str):
    """The structure a document holds; StateError (one line, without the file name)
    for anything that is not a complete document this ipemu can read."""
    import json         # here: a snapshot is read without it (ipemu/snapshot.py)
    try:
        doc = json.loads(text)
    except ValueError:
        raise StateError("is not an ipemu state file") from None
    return from_document(doc)


def _missing_fields(decoder: "_Decoder") -> None:
    """A field the document does not name takes its default, as __init__ would give
    it: a state saved by an ipemu from before the field was added (the state format
    the same) has none, and a slotted instance would then have no value at all (an
    AttributeError at its first use). Fields a class keeps out of its state
    (__transient__) are its __restore__()'s. Not for a snapshot, which this very
    code wrote."""
    from ipemu.plainclass import _MISSING, fields, is_dataclass
    wanted: dict = {}       # class -> (names, [(name, default, factory)])
    setattr_ = object.__setattr__
    for entry, obj in zip(decoder.table, decoder.made):
        if entry is None or "c" not in entry:
            continue
        cls = type(obj)
        known = wanted.get(cls)
        if known is None:
            skip = getattr(cls, "__transient__", ())
            given = [(f.name, f.default, f.default_factory)
                     for f in (fields(cls) if is_dataclass(cls) else ())
                     if f.name not in skip and
                     (f.default is not _MISSING or f.default_factory is not _MISSING)]
            known = wanted[cls] = ({name for name, _, _ in given}, given)
        names, given = known
        attrs = entry["a"]
        if names <= attrs.keys():
            continue
        for name, default, factory in given:
            if name not in attrs:
                setattr_(obj, name, default if default is not _MISSING else factory())


def from_document(doc, defer: bool = False):
    """The structure a parsed document holds (loads() without the JSON). `defer`: a
    document ipemu wrote for this very code (a booted host's snapshot), whose objects
    of the DEFERRED classes may be made on first use."""
    if not isinstance(doc, dict) or doc.get("format") != FORMAT:
        raise StateError("is not an ipemu state file")
    version = doc.get("version")
    if not isinstance(version, int):
        raise StateError("is not an ipemu state file")
    if version != VERSION:
        age = "a newer" if version > VERSION else "an older"
        raise StateError(f"was written by {age} ipemu (state format {version}; this "
                         f"ipemu reads {VERSION})")
    try:
        later = doc.get("later")
        decoder = _Decoder(doc["table"], defer, later if type(later) is bytes else None)
        if defer:
            # what the root reaches but for the stand-ins' contents; a module of
            # theirs imported meanwhile (an enum of it in a live object) wakes them
            _DECODING.append(decoder)
            try:
                decoder.restore(decoder.reach([doc["root"]]))
            finally:
                _DECODING.pop()
            for module in [m for m in _PENDING if m in sys.modules]:
                _wake(module)
        else:
            decoder.fill(range(len(decoder.table)))
            _missing_fields(decoder)
            decoder.restore(decoder.made)
        root = decoder.value(doc["root"])
    except StateError:
        raise
    except Exception as err:   # noqa: BLE001 - any malformation is one "damaged" line
        raise StateError(f"is damaged ({type(err).__name__})") from None
    return root


def save(path, root) -> None:
    """Write atomically: a crash mid-write leaves the previous file as it was."""
    import tempfile
    from pathlib import Path        # here: not on the one-shot path (ipemu/data.py)
    text = dumps(root)
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent or ".")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(text)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def load(path):
    from pathlib import Path
    try:
        text = Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise StateError(f"ipemu: {path}: is not an ipemu state file") from None
    except OSError as err:
        raise StateError(f"ipemu: {path}: {err.strerror}") from None
    try:
        return loads(text)
    except StateError as err:
        raise StateError(f"ipemu: {path}: {err}") from None


def roundtrip(root):
    """`root` saved and restored (tests run every transcript through this)."""
    return loads(dumps(root))
