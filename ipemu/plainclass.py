"""Dataclasses without the start-up cost: `dataclass`, `field`, `fields`, `replace`,
`asdict` and `make_dataclass` as the standard library's, for ipemu's own classes.

`dataclasses` compiles each generated method from source when a class is decorated
(and imports inspect and typing): some 110 classes cost ipemu's one-shot start ~40 ms.
Here a decorated class gets its fields at once (plain data, cheap) and each generated
method (__init__, __repr__, __eq__, __hash__) as a stub that compiles the real one on
first call and puts it in its place: a class never built or compared costs nothing,
and a built one runs the same code dataclasses would have generated.

What it does as dataclasses do: fields from the class's annotations in order (bases'
first; ClassVar annotations are not fields), defaults and `field(default_factory=...)`,
`init=False`, `repr=False`, `compare=False`, `frozen=True` (FrozenInstanceError on
assignment, a hash of the compared fields), `eq=False`, `slots=True` (a new class with
`__slots__`), `__post_init__`. The fields are in `_plain_fields_` (not
`__dataclass_fields__`: the standard library's functions refuse these classes loudly;
use this module's `fields`, `replace`, `asdict`).
"""
from __future__ import annotations

_MISSING = object()           # no default given
_FACTORY = object()           # __init__'s default of a field with a default_factory
# the class attributes plainclass keeps: not dunder names, which a class's setattr
# checks against every slot CPython has (~3.5k instructions each, 2 per class)
_FIELDS = "_plain_fields_"     # name -> Field, made on first need (_fields())
_RAW = "_plain_raw_"            # the own fields as decorated (_settle())
_PARAMS = "_plain_params_"      # {"frozen": ..., "eq": ...}
_SLOT_VALUES = "_plain_slot_values_"   # a slotted() class's fields' values in its body


class FrozenInstanceError(AttributeError):
    """An assignment to a field of a frozen instance (dataclasses' own name)."""


class Field:
    """One field: dataclasses.Field's attributes that ipemu uses."""

    __slots__ = ("name", "type", "default", "default_factory", "init", "repr", "compare",
                 "hash", "metadata")

    def __init__(self, default=_MISSING, default_factory=_MISSING, init: bool = True,
                 repr: bool = True, compare: bool = True, hash=None,
                 metadata=None) -> None:
        if default is not _MISSING and default_factory is not _MISSING:
            raise ValueError("cannot specify both default and default_factory")
        self.name = ""
        self.type = None
        self.default = default
        self.default_factory = default_factory
        self.init = init
        self.repr = repr
        self.compare = compare
        self.hash = hash
        self.metadata = metadata or {}

    def __repr__(self) -> str:
        return f"Field(name={self.name!r}, type={self.type!r})"


def field(*, default=_MISSING, default_factory=_MISSING, init: bool = True,
          repr: bool = True, compare: bool = True, hash=None, metadata=None):
    """A field with options (dataclasses.field)."""
    return Field(default, default_factory, init, repr, compare, hash, metadata)


def _is_classvar(annotation) -> bool:
    if isinstance(annotation, str):
        return annotation.startswith(("ClassVar", "typing.ClassVar"))
    return repr(annotation).startswith("typing.ClassVar")


def _settle(cls) -> tuple[tuple, dict[str, tuple[bool, bool]]]:
    """The class's own fields as (name, annotation, value) at decoration, settled as
    dataclasses settles them then: a `field()` with a default leaves the default as
    the class attribute (without one, no attribute), a mutable default is refused.
    The Field objects are made when first needed (`_fields()`): most classes are
    never asked for theirs, and making ~1,000 of them cost a start ~1.5 ms.
    With them, the own fields' outline (_outline_of() of them)."""
    own = cls.__dict__
    annotations = own.get("__annotations__")
    if not annotations:
        return (), {}
    # a class of no base but object, made by type: a name it does not have itself is
    # one of object's or type's or none (getattr's miss formats an AttributeError);
    # its own names read from a copy of its dict (a mappingproxy's get() is a method
    # call on the dict behind it: ~1k instructions a field)
    alone = type(cls) is type and len(cls.__mro__) == 2
    values = dict(own) if alone else None
    slotted_values = own.get(_SLOT_VALUES)
    if slotted_values is not None:
        return _settle_slotted(slotted_values, annotations)
    plain, type_names = _PLAIN_VALUES, _TYPE_NAMES
    raw = []
    outline = {}
    for name, annotation in annotations.items():
        if type(annotation) is str:
            if "ClassVar" in annotation and _is_classvar(annotation):
                continue
        elif _is_classvar(annotation):
            continue
        if alone:
            value = values.get(name, _MISSING)
            if value is _MISSING:
                if name not in type_names:
                    outline[name] = (True, False)
                    raw.append((name, annotation, value))
                    continue
                value = getattr(cls, name, _MISSING)
            elif type(value) in plain:
                # an immutable value of its own (hashable): the default as it is
                outline[name] = (True, True)
                raw.append((name, annotation, value))
                continue
            elif type(value) is not Field:
                value = getattr(cls, name, _MISSING)    # a descriptor's __get__
        else:
            value = getattr(cls, name, _MISSING)     # a base's class attribute counts too
        field_ = type(value) is Field or isinstance(value, Field)
        default = value.default if field_ else value
        if default is not _MISSING and type(default).__hash__ is None:
            raise ValueError(f"mutable default {type(default)} for field {name} is not "
                             "allowed: use default_factory")
        if field_:
            if value.default is _MISSING:
                if name in own:
                    delattr(cls, name)
            else:
                setattr(cls, name, value.default)
            outline[name] = (value.init, value.default is not _MISSING or
                             value.default_factory is not _MISSING)
        else:
            outline[name] = (True, value is not _MISSING)
        raw.append((name, annotation, value))
    return tuple(raw), outline


def _settle_slotted(values: dict, annotations: dict) -> tuple[tuple, dict]:
    """_settle() of a class slotted() made: its fields' values were kept aside (its
    class attributes of those names are the slots), and it has nothing to settle."""
    raw = []
    outline = {}
    for name, annotation in annotations.items():
        if _is_classvar(annotation):
            continue
        value = values.get(name, _MISSING)
        if isinstance(value, Field):
            default = value.default
            outline[name] = (value.init, value.default is not _MISSING or
                             value.default_factory is not _MISSING)
        else:
            default = value
            outline[name] = (True, value is not _MISSING)
        if default is not _MISSING and type(default).__hash__ is None:
            raise ValueError(f"mutable default {type(default)} for field {name} is not "
                             "allowed: use default_factory")
        raw.append((name, annotation, value))
    return tuple(raw), outline


def slotted(name: str, bases: tuple, namespace: dict):
    """`class X(metaclass=slotted)` for a class `@dataclass(slots=True)` decorates: the
    class made once, with its __slots__, where dataclasses makes it and then makes it
    again with them (NetDevice, ~75 defaults and a dozen properties, twice at every
    start). The values its body gives its fields are kept aside for the decoration.
    A class of no base but object (the slots of bases' fields are not worked out)."""
    if bases:
        raise TypeError("slotted(): a class of no base but object")
    annotations = namespace.get("__annotations__", {})
    names = tuple(n for n, a in annotations.items() if not _is_classvar(a))
    namespace[_SLOT_VALUES] = {n: namespace.pop(n) for n in names if n in namespace}
    namespace["__slots__"] = names
    return type(name, bases, namespace)


# what getattr(cls, name) finds on a class of no base but object when the class's
# own dict has not the name, and the values it returns as they are
_TYPE_NAMES = frozenset(type.__dict__) | frozenset(object.__dict__)
_PLAIN_VALUES = frozenset((int, str, bytes, bool, float, type(None), tuple, frozenset))

def _owner(cls):
    """The class (cls or a base) whose decoration made cls's fields."""
    for klass in cls.__mro__:
        if _RAW in klass.__dict__:
            return klass
    raise TypeError("must be called with a dataclass type or instance")


def _outline(cls, own: dict[str, tuple[bool, bool]]) -> dict[str, tuple[bool, bool]]:
    """Every field's name (bases' first, in MRO order) -> (init, has a default), from
    the own fields' outline."""
    found: dict[str, tuple[bool, bool]] = {}
    for base in cls.__mro__[-2:0:-1]:
        base_raw = base.__dict__.get(_RAW)
        if base_raw:
            found.update(_outline_of(base_raw))
    if not found:
        return own
    found.update(own)
    return found


def _outline_of(raw: tuple) -> dict[str, tuple[bool, bool]]:
    out = {}
    for name, _, value in raw:
        if isinstance(value, Field):
            out[name] = (value.init, value.default is not _MISSING or
                         value.default_factory is not _MISSING)
        else:
            out[name] = (True, value is not _MISSING)
    return out


def _fields(cls) -> dict[str, Field]:
    """The fields of `cls`: its bases' (in MRO order, oldest first), then its own."""
    cls = _owner(cls)
    made = cls.__dict__.get(_FIELDS)
    if made is not None:
        return made
    found: dict[str, Field] = {}
    for base in cls.__mro__[-1:0:-1]:
        if _RAW in base.__dict__:
            found.update(_fields(base))
    for name, annotation, value in cls.__dict__[_RAW]:
        f = value if isinstance(value, Field) else Field(default=value)
        f.name, f.type = name, annotation
        found[name] = f
    setattr(cls, _FIELDS, found)
    return found


# the code of generated methods by their source: compiling one costs ~0.15 ms, so the
# one-shot start keeps them (ipemu/codebundle.py fills this with marshalled code and
# saves what was compiled); COMPILED holds what this process compiled or loaded
CODE: dict[str, bytes] = {}
COMPILED: dict[str, object] = {}


def _code(text: str):
    """The compiled `text`: from CODE when it holds it, else from the method store
    (_stored()), else compiled now (and stored)."""
    code = COMPILED.get(text)
    if code is None:
        known = CODE.get(text)
        if known is not None:
            import marshal
            code = marshal.loads(known)
        else:
            code = _stored(text)
            if code is None:
                code = compile(text, "<string>", "exec")
                _store(text, code)
        COMPILED[text] = code
    return code


# Every process, not only a one-shot start, finds a method another compiled before:
# each in a file of its own in the package's __pycache__/methods/ (the place and the
# trust of a .pyc; written as Python writes a .pyc: not under PYTHONDONTWRITEBYTECODE
# nor a pycache prefix, atomically, silently not at all where the folder is read-only),
# named by the SHA-256 of its source and the interpreter's cache tag, holding the
# source beside the code (a file whose source differs is not used). A long-lived
# host's first line of a kind compiled ~3 generated __init__s (~0.5 ms); a short
# session ~40 (5 ms). IPEMU_NO_BUNDLE=1 turns it off with the code bundle.
_STORE: list = []       # [folder or None], worked out on first need


def _store_folder() -> str | None:
    if not _STORE:
        import os
        import sys
        off = os.environ.get("IPEMU_NO_BUNDLE") or sys.pycache_prefix is not None \
            or sys.flags.optimize
        _STORE.append(None if off else os.path.join(
            os.path.dirname(os.path.abspath(__file__)), "__pycache__", "methods"))
    return _STORE[0]


def _store_path(folder: str, text: str) -> str:
    import sys
    try:                # the builtin module: hashlib would load OpenSSL (~10 ms)
        from _sha256 import sha256
    except ImportError:     # pragma: no cover - a Python built without it
        from hashlib import sha256
    digest = sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:32]
    return f"{folder}/{digest}.{sys.implementation.cache_tag}"


def _stored(text: str):
    """The code of `text` from the method store, or None."""
    folder = _store_folder()
    if folder is None:
        return None
    import marshal
    try:
        with open(_store_path(folder, text), "rb") as f:
            source, code = marshal.loads(f.read())
    except (OSError, EOFError, ValueError, TypeError):
        return None
    return code if source == text else None


def _store(text: str, code) -> None:
    """Keeps `code` in the method store (when Python would write a .pyc)."""
    import sys
    folder = _store_folder()
    if folder is None or sys.dont_write_bytecode:
        return
    import marshal

    from ipemu.codebundle import write_atomic
    write_atomic(_store_path(folder, text), [marshal.dumps((text, code))])


def _compile(cls, name: str, lines: list[str], args: str, env: dict):
    """One method from its source (as dataclasses' _create_fn)."""
    body = "\n".join(f"  {line}" for line in lines) or "  pass"
    text = f"def {name}({args}):\n{body}"
    scope: dict = {}
    exec(_code(text), env, scope)       # noqa: S102 - our own generated source
    fn = scope[name]
    fn.__qualname__ = f"{cls.__qualname__}.{name}"
    fn.__module__ = cls.__module__
    return fn


def _has_dict_only(cls) -> bool:
    """Whether every field of an instance of `cls` lives in its __dict__: no class
    on its MRO but object has __slots__ (a slot is a descriptor that a __dict__
    entry would not reach)."""
    return all("__slots__" not in c.__dict__ for c in cls.__mro__[:-1])


def _make_init(cls):
    flds = _fields(cls).values()
    frozen = cls.__dict__[_PARAMS]["frozen"]
    env = {"__object_setattr": object.__setattr__, "_FACTORY": _FACTORY}
    params, lines = ["self"], []
    # a frozen instance's fields are set past its __setattr__: object.__setattr__()
    # as dataclasses does (a call each), or, where they all live in the instance's
    # __dict__, stores into it (no call: ~40% less for LinkMsg's 40 fields)
    in_dict = frozen and _has_dict_only(cls)
    if in_dict:
        lines.append("__d = self.__dict__")
    for f in flds:
        if f.init:
            if f.default_factory is not _MISSING:
                env[f"_fact_{f.name}"] = f.default_factory
                params.append(f"{f.name}=_FACTORY")
                value = f"_fact_{f.name}() if {f.name} is _FACTORY else {f.name}"
            elif f.default is not _MISSING:
                env[f"_dflt_{f.name}"] = f.default
                params.append(f"{f.name}=_dflt_{f.name}")
                value = f.name
            else:
                params.append(f.name)
                value = f.name
        elif f.default_factory is not _MISSING:
            env[f"_fact_{f.name}"] = f.default_factory
            value = f"_fact_{f.name}()"
        elif f.default is not _MISSING:
            env[f"_dflt_{f.name}"] = f.default
            value = f"_dflt_{f.name}"
        else:
            continue
        if in_dict:
            lines.append(f"__d[{f.name!r}] = {value}")
        elif frozen:
            lines.append(f"__object_setattr(self, {f.name!r}, {value})")
        else:
            lines.append(f"self.{f.name} = {value}")
    if hasattr(cls, "__post_init__"):
        lines.append("self.__post_init__()")
    return _compile(cls, "__init__", lines, ", ".join(params), env)


_REPRING: set = set()


def _make_repr(cls):
    shown = [f.name for f in _fields(cls).values() if f.repr]
    inner = ", ".join(f"{n}={{self.{n}!r}}" for n in shown)
    lines = ["key = id(self)",
             "if key in _REPRING: return '...'",    # reprlib.recursive_repr's answer
             "_REPRING.add(key)",
             "try:",
             f"  return f'{{self.__class__.__qualname__}}({inner})'",
             "finally:",
             "  _REPRING.discard(key)"]
    return _compile(cls, "__repr__", lines, "self", {"_REPRING": _REPRING})


def _compared(cls, who: str) -> str:
    names = [f.name for f in _fields(cls).values() if f.compare]
    return "(" + "".join(f"{who}.{n}," for n in names) + ")"


def _make_eq(cls):
    lines = ["if other.__class__ is self.__class__:",
             f"  return {_compared(cls, 'self')} == {_compared(cls, 'other')}",
             "return NotImplemented"]
    return _compile(cls, "__eq__", lines, "self, other", {})


def _make_hash(cls):
    names = [f.name for f in _fields(cls).values()
             if (f.compare if f.hash is None else f.hash)]
    return _compile(cls, "__hash__", [f"return hash(({''.join(f'self.{n},' for n in names)}))"],
                    "self", {})


def _lazy(cls, name: str, make) -> None:
    """A stub for method `name` that compiles the real one on first call."""
    def stub(self, *args, **kwargs):
        fn = make(cls)
        setattr(cls, name, fn)
        return fn(self, *args, **kwargs)
    setattr(cls, name, stub)       # (named "stub" until its first call)


def _frozen_methods(cls, names: frozenset) -> None:
    def __setattr__(self, name, value):
        if type(self) is cls or name in names:
            raise FrozenInstanceError(f"cannot assign to field {name!r}")
        super(cls, self).__setattr__(name, value)

    def __delattr__(self, name):
        if type(self) is cls or name in names:
            raise FrozenInstanceError(f"cannot delete field {name!r}")
        super(cls, self).__delattr__(name)
    for fn in (__setattr__, __delattr__):
        fn.__qualname__ = f"{cls.__qualname__}.{fn.__name__}"
        setattr(cls, fn.__name__, fn)


def _with_slots(cls, flds: dict):
    """dataclasses' _add_slots(): the same class made again with __slots__."""
    namespace = dict(cls.__dict__)
    inherited = {s for base in cls.__mro__[1:-1] for s in base.__dict__.get("__slots__", ())}
    namespace["__slots__"] = tuple(n for n in flds if n not in inherited)
    for name in flds:
        namespace.pop(name, None)
    namespace.pop("__dict__", None)
    namespace.pop("__weakref__", None)
    qualname = cls.__qualname__
    cls = type(cls)(cls.__name__, cls.__bases__, namespace)
    cls.__qualname__ = qualname
    return cls


def _process(cls, init: bool, repr: bool, eq: bool, frozen: bool, slots: bool):
    raw, own_outline = _settle(cls)
    flds = _outline(cls, own_outline)
    seen_default = False
    match_args = []
    for name, (in_init, has_default) in flds.items():
        if not in_init:
            continue
        match_args.append(name)
        if has_default:
            seen_default = True
        elif seen_default:
            raise TypeError(f"non-default argument {name!r} follows default argument")
    if slots and _SLOT_VALUES not in cls.__dict__:     # (slotted() made it with them)
        cls = _with_slots(cls, flds)
    setattr(cls, _RAW, raw)
    setattr(cls, _PARAMS, {"frozen": frozen, "eq": eq})
    own = cls.__dict__
    if init and "__init__" not in own:
        _lazy(cls, "__init__", _make_init)
    if repr and "__repr__" not in own:
        _lazy(cls, "__repr__", _make_repr)
    # dataclasses' hash table: eq without frozen makes instances unhashable unless
    # the class wrote its own __hash__; eq with frozen hashes the compared fields
    explicit_hash = own.get("__hash__", _MISSING)
    explicit_hash = not (explicit_hash is _MISSING or
                         (explicit_hash is None and "__eq__" in own))
    if eq:
        if "__eq__" not in own:
            _lazy(cls, "__eq__", _make_eq)
        if not explicit_hash:
            if frozen:
                _lazy(cls, "__hash__", _make_hash)
            else:
                cls.__hash__ = None
    if frozen:
        if "__setattr__" in own or "__delattr__" in own:
            raise TypeError(f"Cannot overwrite attribute __setattr__ in class {cls.__name__}")
        _frozen_methods(cls, frozenset(flds))
    if "__match_args__" not in own:
        cls.__match_args__ = tuple(match_args)
    return cls


def dataclass(cls=None, /, *, init: bool = True, repr: bool = True, eq: bool = True,
              frozen: bool = False, slots: bool = False):
    """@dataclass, @dataclass(frozen=True, slots=True, eq=False, ...)."""
    def wrap(c):
        return _process(c, init, repr, eq, frozen, slots)
    return wrap if cls is None else wrap(cls)


def is_dataclass(obj) -> bool:
    cls = obj if isinstance(obj, type) else type(obj)
    return hasattr(cls, _RAW)


def fields(class_or_instance) -> tuple[Field, ...]:
    cls = class_or_instance if isinstance(class_or_instance, type) else \
        type(class_or_instance)
    return tuple(_fields(cls).values())


def replace(obj, /, **changes):
    """A copy of `obj` with `changes` (dataclasses.replace)."""
    cls = obj.__class__
    fast = cls.__dict__.get("__plain_replace__")
    if fast is None:
        fast = _make_replace(cls)
        cls.__plain_replace__ = fast
    if changes.keys() <= fast.names:
        return fast(obj, changes)
    for name in changes:        # a field made without init, or no field at all
        if name in fast.no_init:
            raise ValueError(f"field {name} is declared with init=False, it cannot "
                             "be specified with replace()")
    for name in fast.names:
        if name not in changes:
            changes[name] = getattr(obj, name)
    return cls(**changes)       # TypeError for a name that is no field


def _make_replace(cls):
    """replace() for one class: its init fields passed in order, each the change or
    the object's own (one call, no loop: -batch copies its options every line)."""
    flds = _fields(cls).values()
    names = [f.name for f in flds if f.init]
    args = ", ".join(f"changes[{n!r}] if {n!r} in changes else obj.{n}" for n in names)
    fn = _compile(cls, "__plain_replace__", [f"return cls({args})"], "obj, changes",
                  {"cls": cls})
    fn.names = frozenset(names)
    fn.no_init = frozenset(f.name for f in flds if not f.init)
    return fn


def asdict(obj) -> dict:
    """The fields as a dict, recursively (dataclasses.asdict)."""
    return _asdict(obj)


def _asdict(v):
    if is_dataclass(v) and not isinstance(v, type):
        return {f.name: _asdict(getattr(v, f.name)) for f in fields(v)}
    if isinstance(v, tuple) and hasattr(v, "_fields"):
        return type(v)(*[_asdict(x) for x in v])
    if isinstance(v, (list, tuple)):
        return type(v)(_asdict(x) for x in v)
    if isinstance(v, dict):
        return type(v)((_asdict(k), _asdict(x)) for k, x in v.items())
    import copy
    return copy.deepcopy(v)


def make_dataclass(name: str, spec: list, *, frozen: bool = False, module: str | None = None):
    """A dataclass from (name, type[, default]) triples (dataclasses.make_dataclass)."""
    namespace: dict = {"__annotations__": {}}
    for item in spec:
        fname, ftype = item[0], item[1]
        namespace["__annotations__"][fname] = ftype
        if len(item) > 2:
            namespace[fname] = item[2]
    cls = type(name, (), namespace)
    if module is not None:
        cls.__module__ = module
    return dataclass(cls, frozen=frozen)
