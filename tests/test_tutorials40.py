"""The fixes round 40's link-type tutorials led to (their cases, tutorials40_, are
replayed whole by test_rounds.py). Every expected text was recorded on the project's
Debian 12 machine with the oracle's recorder (record.py, `bash -c LINE` on a pty:
Linux 6.18 without bonding, 8021q, dummy or ipvlan drivers, iproute2 6.1), twice, the
two recordings alike under diff.py's masks."""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import test_bash_c_lines  # noqa: E402


def _shell(*lines: str):
    from ipemu.session import Session
    shell = Session.create(test_bash_c_lines.ORACLE_PROFILE, "bare", "oracle")
    for line in lines:
        shell.run_line(line)
    return shell


def _out(shell, line: str) -> str:
    """What `bash -c LINE` prints, as the recorder ran it (bash's `line 1:`)."""
    quoted = "'" + line.replace("'", "'\\''") + "'"
    term, _ = shell.run_line(f"bash -c {quoted}")
    return term.text()


def test_sysfs_new_name_is_permission_denied():
    # tutorials40_elkano_bonding_sysfs: kernfs directories have no create, so
    # lookup_open() refuses O_CREAT with EACCES (bonding_masters is absent without
    # the bonding driver); a missing directory is ENOENT as anywhere
    shell = _shell("ip link add eth0 type veth peer name eth1")
    assert _out(shell, 'echo "+bond0" >  /sys/class/net/bonding_masters') == \
        "bash: line 1: /sys/class/net/bonding_masters: Permission denied\n"
    assert _out(shell, "echo +eth0 > /sys/class/net/bond0/bonding/slaves") == \
        "bash: line 1: /sys/class/net/bond0/bonding/slaves: No such file or directory\n"
    assert _out(shell, "echo 1 > /sys/nonexist") == \
        "bash: line 1: /sys/nonexist: Permission denied\n"
    assert _out(shell, "echo 1 > /sys/class/net/lo") == \
        "bash: line 1: /sys/class/net/lo: Is a directory\n"
    assert _out(shell, "cat /sys/class/net/bonding_masters") == \
        "cat: /sys/class/net/bonding_masters: No such file or directory\n"


def test_sysfs_read_only_attributes_refuse_writes():
    # kernfs_fop_open(): an attribute without store() is EACCES to open for writing,
    # even for root; mtu has one and the write sets it
    shell = _shell("ip link add eth0 type veth peer name eth1")
    assert _out(shell, "echo 1 > /sys/class/net/eth0/address") == \
        "bash: line 1: /sys/class/net/eth0/address: Permission denied\n"
    assert _out(shell, "echo 1 > /sys/class/net/eth0/statistics/rx_bytes") == \
        "bash: line 1: /sys/class/net/eth0/statistics/rx_bytes: Permission denied\n"
    assert _out(shell, "echo 1400 | tee /sys/class/net/eth1/mtu") == "1400\n"
    assert _out(shell, "cat /sys/class/net/eth1/mtu") == "1400\n"


def test_tools_making_names_in_sysfs_and_procfs():
    # tutorials40_rhkb_bonding_sysfs: tee, touch, cp meet the same EACCES; mkdir in
    # sysfs is EPERM (no kernfs mkdir) and mkdir -p names the first directory it could
    # not make; unlinking an attribute is EPERM; procfs has no new names (ENOENT)
    shell = _shell("ip link add eth0 type veth peer name eth1")
    assert _out(shell, "echo +bond0 | tee /sys/class/net/bonding_masters") == \
        "tee: /sys/class/net/bonding_masters: Permission denied\n+bond0\n"
    assert _out(shell, "mkdir -p /sys/class/net/bond0/bonding") == \
        "mkdir: cannot create directory ‘/sys/class/net/bond0’: Operation not permitted\n"
    assert _out(shell, "mkdir /sys/class/net/lo/foo") == \
        "mkdir: cannot create directory ‘/sys/class/net/lo/foo’: Operation not permitted\n"
    assert _out(shell, "touch /sys/class/net/bonding_masters") == \
        "touch: cannot touch '/sys/class/net/bonding_masters': Permission denied\n"
    assert _out(shell, "cp /etc/hostname /sys/class/net/x") == \
        "cp: cannot create regular file '/sys/class/net/x': Permission denied\n"
    assert _out(shell, "rm /sys/class/net/eth0/mtu") == \
        "rm: cannot remove '/sys/class/net/eth0/mtu': Operation not permitted\n"
    assert _out(shell, "echo 1 > /proc/net/bonding/bond0") == \
        "bash: line 1: /proc/net/bonding/bond0: No such file or directory\n"
    assert _out(shell, "echo 1 > /proc/nonexist") == \
        "bash: line 1: /proc/nonexist: No such file or directory\n"
    assert _out(shell, "mkdir /proc/net/bonding") == \
        "mkdir: cannot create directory ‘/proc/net/bonding’: No such file or directory\n"
    assert _out(shell, "echo 1 > /proc/net/dev") == \
        "bash: line 1: /proc/net/dev: Permission denied\n"
    assert _out(shell, "ls /sys") == \
        "block  bus  class  dev\tdevices  firmware  fs  kernel  module  power\n"


def test_sysfs_queues_follow_the_real_queue_counts():
    # register_queue_kobjects(): rx-N/tx-N for the real queues; veth_init_queues()
    # keeps one of each unless the device's own numtxqueues/numrxqueues were given,
    # and the peer is judged by the device's attributes too (c1 lists rx-0 alone)
    shell = _shell("ip link add b0 numtxqueues 4 type veth peer name b1",
                   "ip link add c0 type veth peer name c1 numrxqueues 3",
                   "ip link add d0 numrxqueues 3 numtxqueues 1 type veth peer name d1"
                   " numtxqueues 5",
                   "ip link add i1 numrxqueues 2 type ifb")
    assert _out(shell, "for d in b0 b1 c0 c1 d0 d1 i1; do echo $d: "
                "$(ls /sys/class/net/$d/queues); done") == \
        "b0: rx-0 tx-0 tx-1 tx-2 tx-3\nb1: rx-0 tx-0 tx-1\nc0: rx-0 tx-0\nc1: rx-0 tx-0\n" \
        "d0: rx-0 rx-1 rx-2 tx-0\nd1: rx-0 rx-1 tx-0 tx-1 tx-2 tx-3 tx-4\n" \
        "i1: rx-0 rx-1 tx-0\n"
    assert _out(shell, "ls /sys/class/net/b0/queues/rx-0 /sys/class/net/b0/queues/tx-0") == \
        "/sys/class/net/b0/queues/rx-0:\nrps_cpus  rps_flow_cnt\n\n" \
        "/sys/class/net/b0/queues/tx-0:\n" \
        "traffic_class  tx_maxrate  tx_timeout  xps_cpus  xps_rxqs\n"
    assert _out(shell, "cat /sys/class/net/b0/queues/tx-0/byte_queue_limits/limit") == \
        "cat: /sys/class/net/b0/queues/tx-0/byte_queue_limits/limit: No such file or " \
        "directory\n"


def test_rps_and_xps_files_store_what_the_kernel_takes():
    # store_rps_map(): a CPU mask of the 2 CPUs (f is EOVERFLOW, zz EINVAL);
    # store_rps_dev_flow_table_cnt(): rounded up to a power of two; tx_maxrate without
    # ndo_set_tx_maxrate is EOPNOTSUPP; tx_timeout and traffic_class are read-only
    rps = "/sys/class/net/veth0/queues/rx-0/"
    shell = _shell("ip link add veth0 type veth peer name veth1")
    assert _out(shell, f"echo f > {rps}rps_cpus; cat {rps}rps_cpus") == \
        "bash: line 1: echo: write error: Value too large for defined data type\n0\n"
    assert _out(shell, f"echo 3 > {rps}rps_cpus; cat {rps}rps_cpus") == "3\n"
    assert _out(shell, f"echo zz > {rps}rps_cpus; cat {rps}rps_cpus") == \
        "bash: line 1: echo: write error: Invalid argument\n3\n"
    assert _out(shell, f"echo 100 > {rps}rps_flow_cnt; cat {rps}rps_flow_cnt") == "128\n"
    assert _out(shell, f"echo -1 > {rps}rps_flow_cnt; cat {rps}rps_flow_cnt") == \
        "bash: line 1: echo: write error: Invalid argument\n128\n"
    tx = "/sys/class/net/veth0/queues/tx-0/"
    assert _out(shell, f"echo 1 > {tx}xps_cpus; cat {tx}xps_cpus") == "1\n"
    assert _out(shell, f"echo 100 > {tx}tx_maxrate") == \
        "bash: line 1: echo: write error: Operation not supported\n"
    assert _out(shell, f"echo 1 > {tx}tx_timeout") == \
        f"bash: line 1: {tx}tx_timeout: Permission denied\n"
    assert _out(shell, "cat /sys/class/net/veth0/queues/rx-1/rps_cpus") == \
        "cat: /sys/class/net/veth0/queues/rx-1/rps_cpus: No such file or directory\n"


def test_name_assign_type_tells_numbered_names_from_given_ones():
    # rtnl_create_link(): NET_NAME_ENUM (1) when the kernel numbered the name, USER (3)
    # when one was given; veth_newlink() judges the peer by its own name
    shell = _shell("ip link add type veth", "ip link add vA type veth peer name vB",
                   "ip link add vC type veth", "ip link add link vA type macvlan",
                   "ip link add type ifb", "ip link add ifb9 type ifb")
    assert _out(shell, "for d in veth0 veth1 vA vB vC veth2 macvlan0 ifb0 ifb9 lo; do "
                "echo $d $(cat /sys/class/net/$d/name_assign_type); done") == \
        "veth0 1\nveth1 1\nvA 3\nvB 3\nvC 3\nveth2 1\nmacvlan0 1\nifb0 1\nifb9 3\nlo 2\n"


def test_bridge_link_names_a_macvlan_port_with_its_lower():
    # tutorials40_iplink8_flags_on_kinds: br_fill_ifinfo() puts IFLA_LINK for any
    # port whose iflink is not its own ifindex; bridge's print_name_and_link() prints
    # it as name@link (M-DOWN while vA is down)
    shell = _shell("ip link add vA type veth peer name vB",
                   "ip link add link vA name mv0 type macvlan mode vepa",
                   "ip link add link vA name mvt0 type macvtap mode passthru",
                   "ip link add ifb0 type ifb", "ip link add br0 type bridge",
                   "ip link set mv0 promisc on allmulticast on arp off multicast off",
                   "ip link set ifb0 dynamic on trailers on", "ip link set mv0 mtu 1400",
                   "ip link set mv0 master br0", "ip link set ifb0 master br0")
    assert _out(shell, "bridge link") == \
        "4: mv0@vA: <BROADCAST,NOARP,ALLMULTI,PROMISC,M-DOWN> mtu 1400 master br0 " \
        "state disabled priority 32 cost 2 \n" \
        "5: ifb0: <BROADCAST,NOARP,DYNAMIC> mtu 1500 master br0 state disabled " \
        "priority 32 cost 100 \n"


def test_sysfs_readdir_follows_kernfs_name_hash():
    # kernfs_fop_readdir() walks the rbtree ordered by kernfs_name_hash(): find and
    # grep -r list a device's directory in that order, ls sorts
    shell = _shell("ip link add veth0 type veth peer name veth1",
                   "ip link add link veth0 name mv0 type macvlan")
    assert _out(shell, "grep -r . /sys/class/net/mv0/statistics/ | head -5") == \
        "/sys/class/net/mv0/statistics/tx_errors:0\n" \
        "/sys/class/net/mv0/statistics/rx_length_errors:0\n" \
        "/sys/class/net/mv0/statistics/rx_packets:0\n" \
        "/sys/class/net/mv0/statistics/tx_carrier_errors:0\n" \
        "/sys/class/net/mv0/statistics/tx_dropped:0\n"
    assert _out(shell, "find /sys/class/net/veth0/ -maxdepth 1 | head -5") == \
        "/sys/class/net/veth0/\n/sys/class/net/veth0/uevent\n" \
        "/sys/class/net/veth0/carrier_changes\n/sys/class/net/veth0/testing\n" \
        "/sys/class/net/veth0/carrier\n"


def test_power_group_and_subsystem_link():
    # drivers/base/power/sysfs.c: runtime PM never enabled on a virtual device;
    # autosuspend_delay_ms is -EIO; subsystem links to ../../../../class/net
    shell = _shell("ip link add veth0 type veth peer name veth1",
                   "ip link add link veth0 name mv0 type macvlan")
    assert _out(shell, "grep -r . /sys/class/net/veth0/power/") == \
        "/sys/class/net/veth0/power/runtime_active_time:0\n" \
        "/sys/class/net/veth0/power/runtime_status:unsupported\n" \
        "grep: /sys/class/net/veth0/power/autosuspend_delay_ms: Input/output error\n" \
        "/sys/class/net/veth0/power/runtime_suspended_time:0\n" \
        "/sys/class/net/veth0/power/control:auto\n"
    assert _out(shell, "cat /sys/class/net/veth0/subsystem/veth1/ifindex") == "2\n"
    assert _out(shell, "ls /sys/class/net/veth0/subsystem/") == "lo  mv0  veth0\tveth1\n"


def test_ls_takes_options_after_names():
    # getopt_long() permutes argv: `ls DIR -a` is `ls -a DIR`; `--` ends the options
    shell = _shell("ip link add veth0 type veth peer name veth1")
    assert _out(shell, "ls /sys/class/net/veth0/queues/rx-0/ -a") == \
        ".  ..  rps_cpus  rps_flow_cnt\n"
    assert _out(shell, "ls -- -a") == "ls: cannot access '-a': No such file or directory\n"


def test_find_sees_sysfs_links_and_warns_of_late_global_options():
    # tutorials40_labex_interface_types: lower_*/upper_* and subsystem are links
    # (-type l, not descended); parser.c warns of -maxdepth after a test
    shell = _shell("ip link add eth0 type veth peer name veth-c",
                   "ip link add link eth0 name macvlan0 type macvlan mode bridge")
    assert _out(shell, "find /sys/class/net/macvlan0/ -maxdepth 1 -type l") == \
        "/sys/class/net/macvlan0/lower_eth0\n/sys/class/net/macvlan0/subsystem\n"
    assert _out(shell, "find /sys/class/net/eth0/ -maxdepth 1 -name 'lower_*' -o "
                "-maxdepth 1 -name 'upper_*'") == \
        "find: warning: you have specified the global option -maxdepth after the " \
        "argument -name, but global options are not positional, i.e., -maxdepth " \
        "affects tests specified before it as well as those specified after it.  " \
        "Please specify global options before other arguments.\n" \
        "/sys/class/net/eth0/upper_macvlan0\n"


def test_traffic_class_reads_on_a_multiqueue_device():
    # traffic_class_show(): netif_is_multiqueue() looks at num_tx_queues, so a
    # default veth (2 allocated, 1 real) reads 0 (tutorials40_sabayon_sysfs_walk)
    shell = _shell("ip link add eno1 type veth peer name eno1-peer")
    assert _out(shell, "grep -rl . /sys/class/net/eno1/queues/") == \
        "/sys/class/net/eno1/queues/tx-0/tx_maxrate\n" \
        "/sys/class/net/eno1/queues/tx-0/xps_cpus\n" \
        "/sys/class/net/eno1/queues/tx-0/tx_timeout\n" \
        "/sys/class/net/eno1/queues/tx-0/xps_rxqs\n" \
        "/sys/class/net/eno1/queues/tx-0/traffic_class\n" \
        "/sys/class/net/eno1/queues/rx-0/rps_flow_cnt\n" \
        "/sys/class/net/eno1/queues/rx-0/rps_cpus\n"
    # ... and a device with one queue allocated (lo, ifb) has none
    shell = _shell("ip link add ifb0 type ifb")
    assert _out(shell, "cat /sys/class/net/ifb0/queues/tx-0/traffic_class") == \
        "cat: /sys/class/net/ifb0/queues/tx-0/traffic_class: No such file or directory\n"
    assert _out(shell, "find /sys/class/net/lo/ ! -name mtu -maxdepth 0") == \
        "find: warning: you have specified the global option -maxdepth after the " \
        "argument !, but global options are not positional, i.e., -maxdepth " \
        "affects tests specified before it as well as those specified after it.  " \
        "Please specify global options before other arguments.\n/sys/class/net/lo/\n"


def test_device_attributes_with_a_store():
    # net-sysfs.c: carrier_store() without ndo_change_carrier, proto_down and
    # threaded on a veth are EOPNOTSUPP at the write; flags_store() is
    # dev_change_flags() (0x1003 brings it up); gro_flush_timeout and
    # napi_defer_hard_irqs keep what was written; cp reads an attribute
    shell = _shell("ip link add veth0 type veth peer name veth1")
    for name in ("carrier", "proto_down", "threaded"):
        assert _out(shell, f"echo 1 > /sys/class/net/veth0/{name}") == \
            "bash: line 1: echo: write error: Operation not supported\n"
    assert _out(shell, "echo 0x1003 > /sys/class/net/veth0/flags; "
                "ip -br link show veth0 | cut -c1-31") == "veth0@veth1      LOWERLAYERDOWN\n"
    assert _out(shell, "echo 1000 > /sys/class/net/veth0/gro_flush_timeout; "
                "cat /sys/class/net/veth0/gro_flush_timeout") == "1000\n"
    assert _out(shell, "echo up > /sys/class/net/veth0/operstate") == \
        "bash: line 1: /sys/class/net/veth0/operstate: Permission denied\n"
    assert _out(shell, "cp /sys/class/net/veth0/ifindex /tmp/i; cat /tmp/i") == "3\n"


def test_grep_errors_come_in_file_order_through_a_pipe():
    # tutorials40_so808560_cable_carrier: error() fflush()es grep's stdout before each
    # file's error; group directories (power, queues, subsystem) are EISDIR to read
    shell = _shell("ip link add eth0 type veth peer name cable")
    assert _out(shell, 'cd /sys/class/net; grep "" eth0/* 2>&1 | tail -18 | head -9') == \
        "eth0/link_mode:0\neth0/mtu:1500\neth0/name_assign_type:3\n" \
        "eth0/napi_defer_hard_irqs:0\neth0/netdev_group:0\neth0/operstate:down\n" \
        "grep: eth0/power: Is a directory\neth0/proto_down:0\n" \
        "grep: eth0/queues: Is a directory\n"
    assert _out(shell, "cat /sys/class/net/eth0/power") == \
        "cat: /sys/class/net/eth0/power: Is a directory\n"


def test_unlinking_and_linking_in_the_views():
    # recorded: kernfs and procfs have no unlink (EPERM), /sys/class/net/lo is a link
    # (rmdir ENOTDIR, rm EPERM), mv copies then cannot remove, symlink is EPERM;
    # touch of an existing attribute just succeeds
    shell = _shell()
    assert _out(shell, "rm -r /sys/class/net/lo") == \
        "rm: cannot remove '/sys/class/net/lo': Operation not permitted\n"
    assert _out(shell, "rmdir /sys/class/net/lo") == \
        "rmdir: failed to remove '/sys/class/net/lo': Not a directory\n"
    assert _out(shell, "mv /sys/class/net/lo/mtu /tmp/") == \
        "mv: cannot remove '/sys/class/net/lo/mtu': Operation not permitted\n"
    assert _out(shell, "ln -s /tmp /sys/class/net/y") == \
        "ln: failed to create symbolic link '/sys/class/net/y': Operation not permitted\n"
    assert _out(shell, "rm /proc/net/dev") == \
        "rm: cannot remove '/proc/net/dev': Operation not permitted\n"
    assert _out(shell, "touch /sys/class/net/lo/mtu; echo $?") == "0\n"
    assert _out(shell, "mkdir -p /proc/net/x/y") == \
        "mkdir: cannot create directory ‘/proc/net/x’: No such file or directory\n"


def test_unlink_and_rm_of_sysctl_files():
    # tutorials40_cfg_eperm_sysfs_delete: coreutils' unlink (one operand, unlink(2));
    # a /proc/sys file refuses deletion with EACCES
    shell = _shell("ip link add veth0 type veth peer name veth1")
    assert _out(shell, "unlink /sys/class/net/veth0/mtu") == \
        "unlink: cannot unlink '/sys/class/net/veth0/mtu': Operation not permitted\n"
    assert _out(shell, "rm /proc/sys/net/ipv4/ip_forward") == \
        "rm: cannot remove '/proc/sys/net/ipv4/ip_forward': Permission denied\n"
    assert _out(shell, "unlink") == \
        "unlink: missing operand\nTry 'unlink --help' for more information.\n"
    assert _out(shell, "unlink a b") == \
        "unlink: extra operand ‘b’\nTry 'unlink --help' for more information.\n"
