"""libpcap's code generator and optimizer (ipemu/tcpdump/bpfgen.py, bpfopt.py) against
the real tcpdump 4.99.3 / libpcap 1.10.3 (tests/data/bpfopt_golden.json, recorded on Debian 12):
combined filters on Ethernet and on -i any's cooked headers (v2, and v1 with -y
LINUX_SLL), the optimizer's `expression rejects all packets`, link-layer broadcast and
multicast on Ethernet. The single primitives are tests/test_tcpdump_bpfcode.py's and the
oracle cases' (oracle34c_bpf_dump, capture35_bpf_*)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from ipemu.tcpdump import FilterError, bpfcode, bpfgen, compile_filter

GOLDEN = json.loads((Path(__file__).parent / "data" / "bpfopt_golden.json").read_text())


@pytest.mark.parametrize("case", GOLDEN["programs"], ids=lambda c: c["filter"])
def test_combined_filters_as_the_real_tcpdump_compiles_them(case):
    expr = case["filter"]
    assert bpfcode.dump(bpfcode.program(expr, 262144, 1), 1) == case["ethernet_d"]
    assert bpfcode.dump(bpfcode.program(expr, 262144, 276), 2) == case["any_dd"]
    assert bpfcode.dump(bpfcode.program(expr, 262144, 113), 3) == case["linux_sll_ddd"]


@pytest.mark.parametrize("case", GOLDEN["ethernet_only"], ids=lambda c: c["filter"])
def test_link_layer_broadcast_and_multicast_on_ethernet(case):
    assert bpfcode.dump(bpfcode.program(case["filter"], 262144, 1), 1) == case["ethernet_d"]


@pytest.mark.parametrize("expr, verdict", GOLDEN["verdicts"].items())
def test_the_optimizer_decides_what_rejects_every_packet(expr, verdict):
    if verdict == "ok":
        assert compile_filter(expr, 1) is not None
        assert bpfgen.compile(expr, 262144) is not None
    else:
        with pytest.raises(FilterError, match="expression rejects all packets"):
            compile_filter(expr, 1)
        with pytest.raises(bpfgen.CompileError, match="expression rejects all packets"):
            bpfgen.compile(expr, 262144)


def test_what_it_does_not_generate():
    for expr in ("geneve and ether broadcast", "host a or b", "gateway snup",
                 "port 80 and (443)", "geneve and multicast",
                 "ether host 02:00:00:00:00:01 and ip"):
        linktype = 276 if expr.startswith("ether") else 1
        assert bpfgen.compile(expr, 262144, linktype) is None


def test_long_filters_stay_in_python_s_limits():
    # the graph walks use stacks, not recursion: 1500 blocks in a row
    chain = " and ".join(["ip"] * 1500)
    assert bpfgen.compile(chain, 262144) == [(0x28, 0, 0, 12), (0x15, 0, 1, 0x800),
                                             (0x06, 0, 0, 262144), (0x06, 0, 0, 0)]
    # parentheses nested past the recursion limit: not generated, no traceback
    assert bpfgen.compile("(" * 2000 + "ip" + ")" * 2000, 262144) is None
    # a capture decides `rejects all packets` without the optimizer past 40 words
    assert compile_filter(" or ".join(f"port {n}" for n in range(1, 30)), 1) is not None


@pytest.mark.parametrize("case", GOLDEN["vlan"], ids=lambda c: c["filter"])
def test_vlan_on_a_savefile_and_on_a_live_device(case):
    # a savefile's tags are inline (gen_vlan_no_bpf_extensions(): the offsets move by
    # 4); a Linux device's kernel may have taken them off ([vlanp], [vlan_tci], the
    # offsets kept in M[] and a jump inside the block)
    expr = case["filter"]
    assert bpfcode.dump(bpfcode.program(expr, 262144, 1, live=False), 1) == case["savefile_d"]
    assert bpfcode.dump(bpfcode.program(expr, 262144, 1, live=True), 1) == case["live_d"]


def test_no_optimize_lays_out_the_generated_code():
    # tcpdump -O -d 'icmp or arp' (recorded): gen_or()'s graph as it is, the ARP test
    # loading the type again
    insns = bpfcode.program("icmp or arp", 262144, 1, optimize=False)
    assert bpfcode.dump(insns, 1) == (
        "(000) ldh      [12]\n(001) jeq      #0x800           jt 2\tjf 4\n"
        "(002) ldb      [23]\n(003) jeq      #0x1             jt 6\tjf 4\n"
        "(004) ldh      [12]\n(005) jeq      #0x806           jt 6\tjf 7\n"
        "(006) ret      #262144\n(007) ret      #0\n")
    # no optimizer, no `expression rejects all packets`
    assert bpfcode.program("tcp and udp", 262144, 1, optimize=False)[-1] == (6, 0, 0, 0)
    assert compile_filter("tcp and udp", 1, optimize=False) is not None
