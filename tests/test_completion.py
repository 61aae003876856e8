"""Tab completion from grammar/ip.lark and the live kernel (ipemu/shell/complete.py):
as data, through prompt_toolkit's Completer API, and typed into the live shell in a
pseudo-terminal (tmux)."""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time

import pytest

from ipemu.session import Session
from ipemu.shell.complete import completions, make_completer


@pytest.fixture(scope="module")
def session():
    s = Session.create(scenario="bare")
    for line in ("ip link add veth0 type veth peer name veth1", "ip netns add red",
                 "ip addr add 192.168.2.11/24 dev veth0"):
        s.run_line(line)
    return s


@pytest.mark.parametrize("text, expected", [
    ("ip li", ["link"]),
    ("ip link set dev vet", ["veth0", "veth1"]),
    ("ip r", ["route", "rule"]),                         # cmds[] order
    ("ip link s", ["set", "show"]),
    ("ip -br", ["-brief"]),
    ("ip a a 192.168.2.12/24 dev ", ["lo", "veth0", "veth1"]),
    ("ip netns exec ", ["red"]),
    ("ip -n red link show ", None),                      # red's devices: lo only
    ("ip link add v0 type ", ["veth", "vlan", "bridge", "dummy", "macvlan", "macvtap",
                              "vxlan", "vrf", "bond", "gre", "gretap", "erspan", "ipip",
                              "sit", "ipvlan", "ipvtap"]),
    ("ip route get 192", ["192.168.2.11"]),
    ("ip addr del 192", ["192.168.2.11/24"]),
    ("pi", ["pidof", "ping", "ping4", "ping6"]),
    ("echo x; ip li", ["link"]),
    ("ip link frob ", []),
    # ip rule, ip netns, ip monitor and the link kinds' options from grammar/ip.lark
    ("ip rule add type b", ["blackhole", "broadcast"]),             # route_type's names
    ("ip rule list pr", ["preference", "priority", "protocol"]),
    ("ip rule add from 192.168.2.11 lookup ", []),
    ("ip netns p", ["pids"]),
    ("ip netns pids ", ["red"]),
    ("ip netns list-id ", ["target-nsid", "nsid"]),
    ("ip monitor a", ["address", "all", "all-nsid"]),
    ("ip link add vx0 type vxlan nol", ["nolearning", "nol2miss", "nol3miss"]),
    ("ip link add vx0 type vxlan dev vet", ["veth0", "veth1"]),
    ("ip link add m0 link veth0 type macvlan mode ", ["private", "vepa", "bridge", "passthru",
                                                      "source"]),
    ("ip link add v0 link veth0 type vlan id 5 ", ["protocol", "id", "reorder_hdr", "gvrp",
                                                   "mvrp", "loose_binding", "bridge_binding",
                                                   "ingress-qos-map", "egress-qos-map", "help"]),
    ("ip tuntap add mode ", ["tun", "tap"]),
    ("ip tuntap add m", ["mode", "multi_queue"]),
    # ip tunnel (iptunnel.c), ip vrf and the later link kinds from grammar/ip.lark
    ("ip tunnel ", ["add", "change", "delete", "show", "lst", "list", "prl", "6rd", "help"]),
    ("ip tunnel add t0 mode ", ["ipip", "ip/ip", "gre", "gre/ip", "sit", "ipv6/ip", "isatap",
                                "vti"]),
    ("ip tunnel add t0 t", ["ttl", "tos", "tclass"]),
    ("ip tunnel add t0 dev vet", ["veth0", "veth1"]),
    ("ip tunnel prl ", ["prl-default", "prl-nodefault", "prl-delete", "dev"]),
    ("ip tunnel 6rd ", ["6rd-prefix", "6rd-relay_prefix", "6rd-reset", "dev"]),
    ("ip vrf ", ["identify", "pids", "exec", "show", "lst", "list", "help"]),
    ("ip vrf exec vet", ["veth0", "veth1"]),                  # ipvrf_exec(): NAME CMD
    ("ip link add v0 type vrf ", ["table", "help"]),
    ("ip link add b0 type bond mode ", ["balance-rr", "active-backup", "balance-xor",
                                       "broadcast", "802.3ad", "balance-tlb", "balance-alb"]),
    ("ip link add b0 type bond lacp_", ["lacp_rate", "lacp_active"]),
    ("ip link add b0 type bond primary vet", ["veth0", "veth1"]),
    ("ip link add g0 type gre encap ", ["fou", "gue", "none"]),
    ("ip link add g0 type gretap erspan", []),                 # erspan's words only
    ("ip link add e0 type erspan erspan_dir ", ["ingress", "egress"]),
    ("ip link add s0 type sit is", ["isatap"]),
    ("ip link add i0 type ipip is", []),                        # sit's only
    ("ip link add i0 type ipip mode ", ["ipv4/ipv4", "ipip", "ip4ip4", "mpls/ipv4", "mplsip",
                                        "any/ipv4", "any"]),     # sit's add ipv6/ipv4, ip6ip
    ("ip link add p0 link veth0 type ipvlan mode ", ["l2", "l3", "l3s"]),
])
def test_completions(session, text, expected):
    got = completions(text, session)
    if expected is None:
        assert "lo" in got and "veth0" not in got
    else:
        assert got == expected


def test_profile_objects(session):
    el7 = Session.create(profile="el7", scenario="bare")
    assert "vrf" in completions("ip v", session)
    assert completions("ip v", el7) == []


def test_prompt_toolkit_completer(session):
    from prompt_toolkit.completion import CompleteEvent
    from prompt_toolkit.document import Document
    completer = make_completer(session)
    got = list(completer.get_completions(Document("ip li"), CompleteEvent()))
    assert [(c.text, c.start_position) for c in got] == [("link ", -2)]
    got = list(completer.get_completions(Document("ip link set dev vet"), CompleteEvent()))
    assert [c.text for c in got] == ["veth0 ", "veth1 "]


def _pane(base, env) -> str:
    out = subprocess.run(base + ["capture-pane", "-p", "-t", "c:0"], capture_output=True,
                         text=True, env=env, timeout=10).stdout
    return "\n".join(ln.rstrip() for ln in out.splitlines())


def _wait(base, env, needle: str, seconds: float = 30.0) -> str:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        text = _pane(base, env)
        if needle in text:
            return text
        time.sleep(0.05)
    raise AssertionError(f"never showed {needle!r}:\n{_pane(base, env)}")


@pytest.mark.skipif(shutil.which("tmux") is None, reason="tmux is not installed")
def test_tab_in_the_live_shell(tmp_path):
    run = tmp_path / "run"
    run.mkdir(mode=0o700)
    env = {**os.environ, "XDG_RUNTIME_DIR": str(run)}
    base = ["tmux", "-L", f"ipemu-complete-{os.getpid()}"]
    try:
        subprocess.run(base + ["new-session", "-d", "-s", "c", "-x", "100", "-y", "20",
                               f"{sys.executable} -m ipemu --scenario bare"],
                       env=env, timeout=10, check=True)
        _wait(base, env, "]#")
        send = ["send-keys", "-t", "c:0"]
        subprocess.run(base + send + ["ip link add veth0 type veth peer name veth1", "Enter"],
                       env=env, timeout=10)
        _wait(base, env, "veth1\n[root@localhost ~]#")
        subprocess.run(base + send + ["ip li", "Tab"], env=env, timeout=10)
        _wait(base, env, "]# ip link")
        subprocess.run(base + send + ["set dev vet", "Tab", "Tab"], env=env, timeout=10)
        # bash's second Tab: the candidates listed, the line drawn again under them
        screen = _wait(base, env, "veth0 veth1\n[root@localhost ~]# ip link set dev veth")
        assert screen.rstrip("\n").splitlines()[-1] == "[root@localhost ~]# ip link set dev veth"
    finally:
        subprocess.run(base + ["kill-server"], env=env, timeout=10)


@pytest.mark.parametrize("text, expected", [
    ("ping -c 3 -I ", ["lo", "veth0", "veth1"]),                   # -I takes a device
    ("ping -q", ["-q"]),
    ("ping -c3 192", ["192.168.2.11"]),
    ("ping -c 3 loc", ["localhost"]),                               # /etc/hosts
    ("tcpdump -i vet", ["veth0", "veth1"]),
    ("tcpdump -nr ", ["cap.pcap"]),                                 # files after -r
    ("tcpdump -n -w ca", ["cap.pcap"]),
    ("tcpdump --list-i", ["--list-interfaces"]),
    ("tcpdump -x -", None),
    # route: options, then route.c's words and INET_setroute()'s (grammar/route.lark)
    ("route ", ["add", "del", "delete", "flush"]),
    ("route --p", ["--protocol"]),
    ("route -A ine", ["inet", "inet6"]),
    ("route -n add -", ["-net", "-host"]),
    ("route add -net 10.0.0.0 netmask 255.0.0.0 g", ["gw", "gateway"]),
    ("route add default gw 10.0.2.2 dev vet", ["veth0", "veth1"]),
    ("route add default de", ["device", "dev"]),
    ("route -x ", []),                                              # refused: no guess
])
def test_getopt_tool_completions(session, text, expected):
    session.write_file("cap.pcap", b"")
    got = completions(text, session)
    if expected is None:
        assert {"-n", "-i", "-w", "--version"} <= set(got)
    else:
        assert got == expected


def test_getopt_completion_follows_the_profile():
    el7 = Session.create(profile="el7", scenario="bare")
    assert "-C" not in completions("ping -", el7)       # s20160308 has no -C
    assert "-C" in completions("ping -", Session.create(scenario="bare"))
    assert "--micro" not in completions("tcpdump --", el7)


def test_help_lists_from_the_grammar(session):
    """`help TOOL WORDS...`: the keywords the grammar takes there, in the tool's order,
    never a list kept beside it."""
    from ipemu.shell.complete import grammar_help
    from ipemu import syntax
    term, status = session.run_line("help ip netns")
    text = term.text()
    assert status == 0 and text.startswith("ip: ")
    assert "list  show  lst  list-id  help  add  set  delete  identify  pids  exec" in text
    term, _ = session.run_line("help route add -net")
    assert "or a value: TARGET" in term.text()
    # the listing is the grammar's: every keyword of vxlan_opt, in its order
    listing = grammar_help("ip link add vx0 type vxlan".split(), session)
    words = " ".join(listing.split("\n", 1)[1].split()).split(" or ")[0].split()
    assert words == syntax.grammar("ip").rule_keywords("vxlan_opt")
    term, status = session.run_line("help frob")
    assert status == 1 and "no help topics match `frob'" in term.text()
