"""The transcript comparison's renaming of random MACs (ipemu/transcript/mask.py): what
follows a renamed MAC follows its new name, whichever side of the comparison it is on."""
from __future__ import annotations

from ipemu.transcript.mask import MacMasker


def test_solicited_node_group_follows_the_renamed_mac():
    # `bridge fdb show dev X` lists the group of X's link-local address by its MAC
    real = MacMasker().mask("link/ether 02:42:db:5d:fb:01\n33:33:ff:5d:fb:01 self permanent\n")
    emu = MacMasker().mask("link/ether 8e:11:e8:37:81:22\n33:33:ff:37:81:22 self permanent\n")
    assert real == emu == "link/ether fa:ce:00:00:00:01\n33:33:ff:00:00:01 self permanent\n"


def test_solicited_node_address_follows_the_renamed_mac():
    # tcpdump's `:: > ff02::1:ffXX:XXXX` DAD probes
    real = MacMasker().mask("ether 02:42:db:5d:0b:01 :: > ff02::1:ff5d:b01: ICMP6")
    emu = MacMasker().mask("ether 8e:11:e8:37:81:22 :: > ff02::1:ff37:8122: ICMP6")
    assert real == emu == "ether fa:ce:00:00:00:01 :: > ff02::1:ff00:1: ICMP6"


def test_a_group_of_no_known_mac_stays_as_it_is():
    assert MacMasker().mask("33:33:ff:00:00:07 ff02::1:ff00:7") == \
        "33:33:ff:00:00:07 ff02::1:ff00:7"


def test_ss_summary_total_is_masked_only_for_ss_s():
    from ipemu.transcript.check import normalize
    out = "Total: 2\nTCP:   1 (estab 0, closed 1, orphaned 0, timewait 0)\n"
    masked = normalize([out, out, out], ["ss -s", "ip netns exec a ss --summary", "ss -t"])
    assert masked[0] == masked[1] == out.replace("Total: 2", "Total: <N>")
    assert masked[2] == out

