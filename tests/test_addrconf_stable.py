"""RFC 7217 addresses (ipemu/kernel/addrconf.py, ipemu/kernel/sha1.py): the block
function is SHA-1's, and the reserved interface ids are the kernel's."""
import hashlib
import struct

from ipemu.kernel.addrconf import ipv6_reserved_interfaceid, stable_secret_text
from ipemu.kernel.sha1 import SHA1_IV, sha1_transform


def test_one_block_of_a_padded_message_is_sha1():
    # "abc" padded by hand (0x80, zeroes, the bit length) is one block: the state after
    # it is hashlib's digest
    block = b"abc" + b"\x80" + bytes(52) + struct.pack(">Q", 24)
    state = sha1_transform(SHA1_IV, block)
    assert struct.pack(">5I", *state) == hashlib.sha1(b"abc").digest()


def test_reserved_interface_ids():
    assert ipv6_reserved_interfaceid(bytes(8))
    assert ipv6_reserved_interfaceid(bytes.fromhex("02005efffe123456"))
    assert not ipv6_reserved_interfaceid(bytes.fromhex("02005efffd123456"))
    assert ipv6_reserved_interfaceid(bytes.fromhex("fdffffffffffff80"))
    assert not ipv6_reserved_interfaceid(bytes.fromhex("fdffffffffffff7f"))


def test_secret_reads_back_in_full():
    assert stable_secret_text(bytes(15) + b"\x05") == \
        "0000:0000:0000:0000:0000:0000:0000:0005"
