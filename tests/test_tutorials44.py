"""Round 44's bridge tutorials, second pass (tutorials44). The golden texts are the
cases tests/oracle_cases/tutorials44_* (recorded twice on the project's Debian 12
machine, Linux 6.18, iproute2 6.1, alike under diff.py's masks; replayed whole by
tests/test_rounds.py); the tests here pin one fix each."""
from __future__ import annotations

import re
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import test_bash_c_lines  # noqa: E402

_case = test_bash_c_lines.replay_case
_shell = test_bash_c_lines.oracle_shell
_run = test_bash_c_lines.output


def _bridge(s, ports=(0, 2, 4)) -> None:
    _run(s, "ip link add br0 address 02:00:00:00:00:20 type bridge")
    for i in ports:
        _run(s, f"ip link add veth{i} type veth peer name veth{i + 1}")
        _run(s, f"ip link set veth{i} master br0")


def test_bridge_link_set_announces_the_port():
    """br_setlink(): a port br_setport() changed is announced by br_ifinfo_notify()
    even when it is down (ipemu sent nothing). Recorded: tutorials44_monitor_fdb_link."""
    _case("tutorials44_monitor_fdb_link")


def test_a_port_number_freed_by_a_leaving_port_is_reused():
    """find_portno(): the lowest number no port holds; ipemu numbered ports by their
    place in the list. Recorded: tutorials44_brif_delete_readd (veth6 after veth2 left
    gets 0x2, veth4 keeps 0x3)."""
    _case("tutorials44_brif_delete_readd")
    s = _shell()
    _bridge(s)
    _run(s, "ip link set veth2 nomaster")
    _run(s, "ip link add veth6 type veth peer name veth7")
    _run(s, "ip link set veth6 master br0")
    assert _run(s, "cat /sys/class/net/veth6/brport/port_no "
                   "/sys/class/net/veth4/brport/port_no") == "0x2\n0x3\n"
    assert "port_id 0x8002 port_no 0x2 " in _run(s, "ip -d link show veth6")
    _run(s, "ip link set veth2 master br0")
    assert _run(s, "cat /sys/class/net/veth2/brport/port_no") == "0x4\n"


def test_a_disabled_port_keeps_the_old_bridge_priority():
    """br_stp_set_bridge_priority() renumbers only enabled designated ports; a disabled
    one keeps its ids until br_init_port() enables it (its address follows a MAC
    change). Recorded: tutorials44_sysfs_bridge_reads, tutorials44_priority_before_up."""
    _case("tutorials44_sysfs_bridge_reads")
    _case("tutorials44_priority_before_up")
    s = _shell()
    _bridge(s, ports=(0,))
    _run(s, "ip link set br0 type bridge priority 4096")
    assert _run(s, "cat /sys/class/net/br0/bridge/bridge_id "
                   "/sys/class/net/veth0/brport/designated_bridge") == \
        "1000.020000000020\n8000.020000000020\n"
    assert "designated_root 8000.2:0:0:0:0:20 " in _run(s, "ip -d link show veth0")
    _run(s, "ip link set br0 address 02:00:00:00:00:21")
    assert _run(s, "cat /sys/class/net/veth0/brport/designated_root") == \
        "8000.020000000021\n"
    for line in ("ip link set veth1 up", "ip link set veth0 up", "ip link set br0 up",
                 "sleep 0.5"):
        _run(s, line)
    assert _run(s, "cat /sys/class/net/veth0/brport/designated_bridge") == \
        "1000.020000000021\n"


def test_a_port_cost_under_kernel_stp_moves_the_root_port_at_once():
    """br_stp_set_path_cost(): br_configuration_update() and br_port_state_selection()
    run as the cost is set, so the root port moves to the cheaper link and the bridge
    loses its carrier until the new root port forwards (ipemu waited for the next
    BPDU). Recorded: tutorials44_stp_root_election."""
    _case("tutorials44_stp_root_election")
    s = _shell()
    for line in ("ip link add brA address 02:00:00:00:0a:00 type bridge stp_state 1 "
                 "forward_delay 400 priority 4096",
                 "ip link add brB address 02:00:00:00:0b:00 type bridge stp_state 1 "
                 "forward_delay 400",
                 "ip link add a1 type veth peer name b1", "ip link add a2 type veth peer name b2",
                 "ip link set a1 master brA", "ip link set a2 master brA",
                 "ip link set b1 master brB", "ip link set b2 master brB",
                 "for d in brA brB a1 a2 b1 b2; do ip link set $d up; done", "sleep 10"):
        _run(s, line)
    assert _run(s, "cat /sys/class/net/brB/bridge/root_port") == "1\n"
    _run(s, "bridge link set dev b1 cost 50")
    assert _run(s, "cat /sys/class/net/brB/bridge/root_port "
                   "/sys/class/net/b1/brport/state /sys/class/net/b2/brport/state") == \
        "2\n4\n1\n"


def test_sysfs_writes_through_the_brif_link():
    """A bridge's brif/PORT is a link to the port's brport/: a write through it sets
    the port's value (ipemu refused it: Permission denied). Recorded:
    tutorials44_port_priority_cost_sysfs_write."""
    _case("tutorials44_port_priority_cost_sysfs_write")
    s = _shell()
    _bridge(s, ports=(0,))
    assert _run(s, "echo 42 > /sys/class/net/br0/brif/veth0/path_cost") == ""
    assert _run(s, "cat /sys/class/net/veth0/brport/path_cost") == "42\n"


def test_a_temporary_router_port_is_listed():
    """br_multicast_set_port_router(MDB_RTR_TYPE_TEMP): br_multicast_mark_router() puts
    the port in the router lists for multicast_querier_interval. Recorded:
    tutorials44_mdb_router_port_flags (`router ports on br0: veth2`)."""
    _case("tutorials44_mdb_router_port_flags")
    s = _shell()
    _bridge(s, ports=(0,))
    for line in ("ip link set br0 up", "ip link set veth1 up", "ip link set veth0 up",
                 "bridge link set dev veth0 mcast_router 3"):
        _run(s, line)
    assert "router ports on br0: veth0 \n" in _run(s, "bridge -d mdb show")
    assert re.search(r"^router ports on br0: veth0  25[45]\.\d\d temp$",
                     _run(s, "bridge -d -s mdb show"), re.M)
    _run(s, "sleep 256")
    assert "router ports" not in _run(s, "bridge -d mdb show")
