"""Labs: exercises that check themselves. A lab is a TOML file a teacher writes
(`ipemu/labs/NAME.toml`, or any path):

    title = "Two namespaces over a veth"
    scenario = "bare"                 # a scenario by name, or inline:
    # [scenario]  base = "bare", hostname = "lab", setup = '''...shell lines...'''
    text = '''The task, as the learner reads it (`lab`).'''
    solution = '''the reference solution: shell lines, one a line'''

    [variables]                       # optional: per-learner values drawn from the seed
    net = { subnet = "10.0.0.0/8", prefixlen = 24 }   # {net} {net[1]} {net[1].cidr}
    vid = { choice = [10, 20, 30] }                    # {vid}
    n = { range = [2, 9] }                             # {n}, 2..9
    mac = { mac = "02:00:5e" }                         # {mac} {mac.link_local}

    [[goal]]
    check = "in red: veth-red has {net[1].cidr}"       # goals.py has the vocabulary
    hint = ["the first hint", "a second, plainer one"]

The text, setup, goals, hints and solution are templates: `{name}` is a variable
(`{{` and `}}` are braces).
"""
from __future__ import annotations

import ipaddress
import random
import tomllib
from pathlib import Path

from ipemu.data import package_file, toml_names
from ipemu.errors import CommandError
from ipemu.labs.goals import Goal, GoalError, parse_goal
from ipemu.plainclass import dataclass, field


class LabError(CommandError):
    """A lab that cannot be found or read: one line, status 2."""

    def __init__(self, message: str) -> None:
        super().__init__(f"ipemu: {message}\n", 2)


@dataclass
class Lab:
    name: str
    title: str
    text: str
    scenario: str                   # the scenario it starts from (a name or a path)
    hostname: str | None
    setup: list[str]                # shell lines run on the scenario's host
    goals: list[Goal]
    solution: list[str]
    seed: int = 0
    variables: dict[str, str] = field(default_factory=dict)


def available() -> list[str]:
    return toml_names("labs")


def source(name: str) -> tuple[str, str]:
    """(the lab's name, its TOML text): one of ipemu's labs, or a .toml path."""
    path = Path(name)
    if path.suffix == ".toml" and path.is_file():
        return path.stem, path.read_text()
    data = package_file("labs", f"{name}.toml")
    if "/" in name or not data.is_file():
        raise LabError(f"unknown lab '{name}' (known: {', '.join(available())})")
    return name, data.read_text()


def load(name: str, seed: int = 0) -> Lab:
    """The lab, its variables drawn for `seed`."""
    lab_name, text = source(name)
    try:
        spec = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        raise LabError(f"lab '{lab_name}': {err}") from None
    try:
        return _build(lab_name, spec, seed)
    except (KeyError, ValueError, IndexError, TypeError, AttributeError) as err:
        if isinstance(err, (GoalError, LabError)):
            raise LabError(f"lab '{lab_name}': {err}") from None
        raise LabError(f"lab '{lab_name}': bad field or template ({type(err).__name__}: "
                       f"{err})") from None


def _build(name: str, spec: dict, seed: int) -> Lab:
    values = draw(name, spec.get("variables", {}), seed)

    def fill(text: str) -> str:
        return text.format(**values)

    scenario = spec.get("scenario", "bare")
    inline = scenario if isinstance(scenario, dict) else {"base": scenario}
    goals = []
    for entry in spec.get("goal", []):
        hints = entry.get("hint", [])
        hints = [hints] if isinstance(hints, str) else hints
        goals.append(parse_goal(fill(entry["check"]), [fill(h).strip() for h in hints]))
    if not goals:
        raise ValueError("a lab needs at least one [[goal]]")
    return Lab(name, fill(spec["title"]), fill(spec.get("text", "")).strip("\n"),
               inline.get("base", "bare"), inline.get("hostname"),
               _lines(fill(inline.get("setup", ""))), goals,
               _lines(fill(spec.get("solution", ""))), seed,
               {k: str(v) for k, v in values.items()})


def _lines(text: str) -> list[str]:
    return [ln.strip() for ln in text.splitlines()
            if ln.strip() and not ln.strip().startswith("#")]


# ------------------------------------------------------------------ variables
@dataclass(frozen=True)
class HostAddress:
    """The N-th address of a drawn subnet: `{net[1]}`, `{net[1].cidr}`."""

    address: str
    prefixlen: int

    @property
    def cidr(self) -> str:
        return f"{self.address}/{self.prefixlen}"

    def __str__(self) -> str:
        return self.address

    def __format__(self, spec: str) -> str:
        return format(self.address, spec)


@dataclass(frozen=True)
class Subnet:
    """A subnet drawn from a larger one: `{net}` (10.4.7.0/24), `{net.prefixlen}`."""

    network: str

    @property
    def prefixlen(self) -> int:
        return ipaddress.ip_network(self.network).prefixlen

    def __getitem__(self, n: int) -> HostAddress:
        net = ipaddress.ip_network(self.network)
        return HostAddress(str(net.network_address + int(n)), net.prefixlen)

    def __str__(self) -> str:
        return self.network

    def __format__(self, spec: str) -> str:
        return format(self.network, spec)


@dataclass(frozen=True)
class Mac:
    """A MAC drawn under a prefix, and the link-local address the kernel derives from
    it (addrconf_ifid_eui48(): the U/L bit flipped, ff:fe in the middle)."""

    address: str

    @property
    def link_local(self) -> str:
        b = bytes(int(x, 16) for x in self.address.split(":"))
        eui = bytes([b[0] ^ 0x02]) + b[1:3] + b"\xff\xfe" + b[3:]
        return str(ipaddress.IPv6Address(b"\xfe\x80" + bytes(6) + eui))

    def __str__(self) -> str:
        return self.address

    def __format__(self, spec: str) -> str:
        return format(self.address, spec)


def draw(name: str, variables: dict, seed: int) -> dict:
    """Each variable's value for this learner: the same seed, the same lab."""
    rng = random.Random(f"{name}:{seed}")
    values: dict = {}
    for var, how in variables.items():
        if "subnet" in how:
            taken = {v.network for v in values.values() if isinstance(v, Subnet)}
            values[var] = _pick_subnet(rng, how["subnet"], int(how.get("prefixlen", 24)),
                                       taken)
        elif "choice" in how:
            values[var] = rng.choice(how["choice"])
        elif "range" in how:
            low, high = how["range"]
            values[var] = rng.randint(low, high)
        elif "mac" in how:
            prefix = [int(x, 16) for x in how["mac"].split(":") if x]
            rest = [rng.randrange(256) for _ in range(6 - len(prefix))]
            values[var] = Mac(":".join(f"{x:02x}" for x in prefix + rest))
        else:
            raise ValueError(f"variable '{var}': want subnet, choice, range or mac")
    return values


def _pick_subnet(rng: random.Random, outer: str, prefixlen: int, taken: set[str]) -> Subnet:
    """A /prefixlen inside `outer` that no other variable of the lab has drawn."""
    net = ipaddress.ip_network(outer)
    count = 1 << (prefixlen - net.prefixlen)
    size = 1 << (net.max_prefixlen - prefixlen)
    for _ in range(64):
        base = int(net.network_address) + rng.randrange(count) * size
        sub = str(ipaddress.ip_network((base, prefixlen)))
        if sub not in taken:
            return Subnet(sub)
    raise ValueError(f"no free /{prefixlen} left in {outer}")
