"""The work each figure measures, as `ip -batch` files (the same text for ipemu and
the real `ip`), made by name so that both sides read identical input."""
from __future__ import annotations

from pathlib import Path

BATCH_PAIRS = 1000
BATCH_LINES = BATCH_PAIRS * 8 + 1
BATCH_FILE = "batch8k.txt"
ROUTES = 100_000
ROUTES_FILE = "routes100k.txt"
GETS = 1000
GETS_FILE = "gets1k.txt"
FLOOD_COUNT = 20_000
# two namespaces joined by a veth pair (the real side in its own mount namespace)
FLOOD_SETUP = """ip netns add a
ip netns add b
ip link add va netns a type veth peer name vb netns b
ip -n a addr add 10.0.0.1/24 dev va
ip -n b addr add 10.0.0.2/24 dev vb
ip -n a link set lo up
ip -n b link set lo up
ip -n a link set va up
ip -n b link set vb up"""


def veth_file(pairs: int) -> str:
    return f"veth{pairs}.txt"


def routes_file(count: int) -> str:
    return f"routes{count // 1000}k.txt"


# (label, worker kind, 1x file, 10x file): `batch` times the batch, `settle` the
# first SETTLE_SECONDS after it (the devices' IPv6 start-up: DAD, MLD reports)
SETTLE_SECONDS = 3
GROWTH = [("growth: 10,000 → 100,000 routes added", "batch", routes_file(10_000), ROUTES_FILE),
          ("growth: 1,000 → 10,000 veth pairs add + up", "batch", veth_file(1000),
           veth_file(10_000)),
          (f"growth: 200 → 2,000 veth pairs up, then their first {SETTLE_SECONDS} s "
           "(IPv6 DAD, MLD)", "settle", veth_file(200), veth_file(2000))]


def _batch() -> list[str]:
    """1,000 veth pairs, each end addressed and up, a route through each, the route
    looked up and the addresses shown; then every link shown."""
    out = []
    for i in range(BATCH_PAIRS):
        a, b, net = f"va{i}", f"vb{i}", f"10.{i // 250}.{i % 250}"
        out += [f"link add {a} type veth peer name {b}", f"addr add {net}.1/24 dev {a}",
                f"addr add {net}.2/24 dev {b}", f"link set {a} up", f"link set {b} up",
                f"route add 172.16.{i // 250}.{i % 250}/32 via {net}.2",
                f"route get 172.16.{i // 250}.{i % 250}", f"addr show dev {a}"]
    return out + ["link show"]


def _veth(pairs: int) -> list[str]:
    out = []
    for i in range(pairs):
        out += [f"link add va{i} type veth peer name vb{i}", f"link set va{i} up",
                f"link set vb{i} up"]
    return out


def _route_dst(i: int) -> str:
    return f"172.{16 + i // 65536}.{i // 256 % 256}.{i % 256}"


def _routes(count: int) -> list[str]:
    # a veth pair, not a dummy: the dummy module may be missing on the real machine
    out = ["link add d0 type veth peer name d1", "link set d0 up", "link set d1 up",
           "addr add 10.0.0.1/8 dev d0"]
    return out + [f"route add {_route_dst(i)}/32 via 10.0.0.2" for i in range(count)]


def _gets() -> list[str]:
    return [f"route get {_route_dst(i * 97 % ROUTES)}" for i in range(GETS)]


def text(name: str) -> str:
    """The batch file `name`, as text."""
    if name == BATCH_FILE:
        lines = _batch()
    elif name == GETS_FILE:
        lines = _gets()
    elif name.startswith("veth"):
        lines = _veth(int(name[4:-4]))
    elif name.startswith("routes"):
        lines = _routes(int(name[6:-5]) * 1000)
    else:
        raise KeyError(name)
    return "\n".join(lines) + "\n"


NAMES = [BATCH_FILE, GETS_FILE, ROUTES_FILE, routes_file(10_000), veth_file(200),
         veth_file(1000), veth_file(2000), veth_file(10_000)]


def write_files(folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name in NAMES:
        path = folder / name
        if not path.exists():
            path.write_text(text(name))
