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
