"""public22's fixes: glibc inet_ntop6() spelling and the kernel's address label order."""
import ipaddress

from ipemu.tools.ip_misc import inet6_ntop


def test_inet6_ntop_matches_glibc():
    # recorded: `ip -j token` printed ::1:2 as "::0.1.0.2"; ip addrlabel's ::ffff:0:0
    cases = {"::": "::", "::1": "::1", "::1:2": "::0.1.0.2", "::ffff:0:0": "::ffff:0.0.0.0",
             "2001:db8::": "2001:db8::", "fe80::1:0:0:1": "fe80::1:0:0:1",
             "1:0:2:0:0:3:0:4": "1:0:2::3:0:4", "::1a:2b:3c:4d": "::1a:2b:3c:4d",
             "1::": "1::", "1:2:3:4:5:6:7:8": "1:2:3:4:5:6:7:8", "::2": "::2", "::1:0:0": "::1:0:0"}
    for text, want in cases.items():
        assert inet6_ntop(int(ipaddress.IPv6Address(text))) == want, text


def test_addrlabel_default_order_and_insertion():
    from ipemu.kernel.addrlabel import addrlabel_add, addrlabel_table

    class Ns:
        addrlabels = None
        devices = {3: object()}
    ns = Ns()
    labels = [e[3] for e in addrlabel_table(ns)]
    assert labels == [0, 3, 4, 6, 7, 12, 2, 11, 5, 1]       # ip addrlabel list, recorded
    addrlabel_add(ns, int(ipaddress.IPv6Address("2001:db8:1::")), 48, 0, 100)
    addrlabel_add(ns, int(ipaddress.IPv6Address("2001:db8:2::")), 48, 3, 101)
    assert [e[3] for e in addrlabel_table(ns)][3:5] == [101, 100]
