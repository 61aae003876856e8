"""`ip route save` and `ip addr save` write the kernel's dump messages whole: the
files the real `ip` wrote in tests/oracle_cases/lead26_save_restore (recorded by the
oracle's record.py, kept in tests/data/rtnl_dumps) against ipemu's, byte for byte but
for what differs between any two runs (the netlink sequence number and port id, the
addresses' time stamps, the link-local addresses made from random MACs)."""
from __future__ import annotations

import struct
from pathlib import Path

import pytest

from ipemu.kernel.wire import rtnl
from ipemu.session import Session

HERE = Path(__file__).parent
CASE = HERE / "oracle_cases" / "lead26_save_restore.cmds"
DUMPS = HERE / "data" / "rtnl_dumps"
FILES = ["main.bin", "all.bin", "six.bin", "dev.bin", "addr.bin", "addr4.bin", "x.bin",
         "t.bin", "n.bin"]


@pytest.fixture(scope="module")
def session() -> Session:
    s = Session.create(scenario="bare", hostname="oracle")
    for line in CASE.read_text().splitlines():
        if line and not line.startswith("#") and not line.startswith("ls -l"):
            s.run_line(line)
        if line.startswith("ip addr save dev nosuch"):
            break
    return s


def _masked(data: bytes) -> list[bytes]:
    """The messages after the magic, each with its seq and pid zeroed, and for an
    address its IFA_CACHEINFO stamps and a link-local address's interface id."""
    out = [data[:4]]
    at = 4
    while at + 16 <= len(data):
        length, kind = struct.unpack_from("<IH", data, at)
        msg = bytearray(data[at:at + length])
        msg[8:16] = bytes(8)
        if kind == rtnl.RTM_NEWADDR:
            pos = 16 + 8
            while pos + 4 <= len(msg):
                alen, atype = struct.unpack_from("<HH", msg, pos)
                if atype == rtnl.IFA_CACHEINFO:
                    msg[pos + 12:pos + 20] = bytes(8)
                elif atype in (rtnl.IFA_ADDRESS, rtnl.IFA_LOCAL) and alen == 20 and \
                        msg[pos + 4:pos + 6] == b"\xfe\x80":
                    msg[pos + 12:pos + 20] = bytes(8)
                pos += (alen + 3) & ~3
        out.append(bytes(msg))
        at += (length + 3) & ~3
    out.append(data[at:])
    return out


@pytest.mark.parametrize("name", FILES)
def test_a_saved_dump_is_the_kernels(session: Session, name: str) -> None:
    real = (DUMPS / name).read_bytes()
    mine = session.read_file(name)
    assert mine is not None
    assert _masked(mine) == _masked(real)


def test_a_dump_reads_back_as_the_same_routes() -> None:
    """route_from_bytes() of route_bytes() is the message again (every kind the
    recorded dumps hold: gateways, metrics, multipath, IPv6 with cacheinfo)."""
    for name in ("main.bin", "all.bin", "six.bin"):
        messages, error = rtnl.read_messages((DUMPS / name).read_bytes()[4:])
        assert error is None and messages
        for raw in messages:
            msg = rtnl.route_from_bytes(raw)
            again = rtnl.route_bytes(msg, *struct.unpack_from("<II", raw, 8))
            assert again == raw, (name, msg)


def test_a_truncated_stream_stops_where_iproute2_does() -> None:
    data = (DUMPS / "main.bin").read_bytes()
    assert rtnl.read_messages(data[4:30])[1] == "rtnl-from_file: truncated message\n"
    assert rtnl.read_messages(data[4:10])[1] == "rtnl-from_file: truncated message\n"
    bad = struct.pack("<I", 8) + bytes(12)
    assert rtnl.read_messages(bad) == ([], "!!!malformed message: len=8 @20\n")


# the rules behind rules.bin and rules6.bin, which the real `ip rule save` and `ip -6 rule
# save` wrote after these lines in `unshare -n` (iproute2 6.1, the oracle's kernel)
RULE_LINES = [
    "ip link set lo up",
    "ip rule add from 10.0.0.0/8 table 100 pref 100",
    "ip rule add fwmark 0x10/0xff iif lo table 200",
    "ip rule add not to 192.168.0.0/16 goto 32766 pref 50",
    "ip rule add uidrange 100-200 sport 1000-2000 ipproto tcp table 5",
    "ip rule add oif lo suppress_prefixlength 0 suppress_ifgroup 3 table main",
    "ip rule save > rules.bin",
    "ip -6 rule add from 2001:db8::/32 table 7",
    "ip -6 rule save > rules6.bin",
]


@pytest.mark.parametrize("name", ["rules.bin", "rules6.bin"])
def test_a_saved_rule_dump_is_the_kernels(name: str) -> None:
    """fib_nl_fill_rule()'s messages after iprule.c's own magic: every attribute a
    rule has (devices, marks, goto, uid and port ranges, suppressors, prefixes)."""
    s = Session.create(scenario="bare", hostname="oracle")
    for line in RULE_LINES:
        s.run_line(line)
    got = s.fs.read(s.fs.resolve(name, s.cwd))
    assert _masked(got) == _masked((DUMPS / name).read_bytes())
    # and read back, each message is the rule it came from
    messages, error = rtnl.read_messages(got[4:])
    assert error is None and len(messages) == (8 if name == "rules.bin" else 3)
    family = 6 if name == "rules6.bin" else 4
    for raw, rule in zip(messages, s.host.init_ns.rules[family]):
        again = rtnl.rule_bytes(rule)
        assert rtnl.rule_from_bytes(raw) is not None
        assert again[16:] == raw[16:]
