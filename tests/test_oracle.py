"""The recorded real-kernel cases of ../shared/oracle (when that directory is present)
through the oracle's own checker. Cases listed in PASSING must keep passing; the others
are reported, not asserted, until their features land."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ORACLE = Path(__file__).resolve().parent.parent.parent / "shared" / "oracle"
PASSING = {
    "addr_errors", "addr_ipv6", "addr_secondary", "addr_special", "bridge_ports", "help_usage",
    "link_delete_peer", "link_details", "link_mtu_address_rename", "link_output_formats",
    "link_show_filters", "link_stats_counters", "link_veth_one_side_up", "netns_basics",
    "netns_router_forwarding", "ping_errors", "ping_options", "route_errors",
    "route_gateway_default", "route_metric_replace_del", "route_special_types",
    "route_tables_local_all", "seed_veth_show",
}


@pytest.mark.skipif(not (ORACLE / "diff.py").is_file(), reason="no ../shared/oracle here")
def test_oracle_cases_keep_passing():
    emulator = f"{sys.executable} -m ipemu run --scenario bare --hostname oracle"
    done = subprocess.run([sys.executable, str(ORACLE / "diff.py"), "--emulator", emulator,
                           "--json", str(ORACLE / "public")], capture_output=True, text=True,
                          check=False, timeout=600)
    result = json.loads(done.stdout)
    status = {Path(c["case"]).name: c["status"] for c in result["cases"]}
    broken = sorted(name for name in PASSING if status.get(name) != "PASS")
    assert not broken, f"oracle cases that passed before and fail now: {broken}"
