"""Makes this folder's crafted captures with struct alone (run by record.sh):
crafted_vtp.pcap   Cisco VTP over 802.3/SNAP as a switch sends it (shaped after a VTPv2
                   domain's summary and subset advertisements: VLAN info fields with
                   their 1-byte TLVs, an advertisement request, a join) and malformed
                   ones (a domain length of 0, a TLV length of 2, a short PDU).
crafted_mpcp.pcap  IEEE 802.3 MAC control frames (ethertype 0x8808): an 802.3x PAUSE as
                   a switch port sends it, 802.1Qbb PFC (opcode 0x0101), EPON MPCP gate,
                   report and registration messages, and a frame cut short."""
from __future__ import annotations

import struct
import sys
from pathlib import Path

SRC = bytes.fromhex("0019e7405c81")
CDP_DST = bytes.fromhex("01000ccccccc")


def pcap(frames: list[bytes], t0: int = 1700000000) -> bytes:
    out = struct.pack("<IHHiIII", 0xA1B2C3D4, 2, 4, 0, 0, 262144, 1)
    for i, frame in enumerate(frames):
        out += struct.pack("<IIII", t0 + i, 1000 * i, len(frame), len(frame)) + frame
    return out


def snap(pid: int, payload: bytes) -> bytes:
    body = b"\xaa\xaa\x03" + b"\x00\x00\x0c" + struct.pack(">H", pid) + payload
    frame = CDP_DST + SRC + struct.pack(">H", len(body)) + body
    return frame + b"\x00" * max(0, 60 - len(frame))


def vtp_header(version: int, code: int, third: int, domain: bytes,
               dlen: int | None = None) -> bytes:
    return bytes([version, code, third, len(domain) if dlen is None else dlen]) + \
        domain.ljust(32, b"\x00")


def vlan(status: int, kind: int, vid: int, mtu: int, said: int, name: bytes,
         tlvs: bytes = b"") -> bytes:
    padded = name.ljust(4 * ((len(name) + 3) // 4), b"\x00")
    body = struct.pack(">BBBHHI", status, kind, len(name), vid, mtu, said) + padded + tlvs
    return bytes([len(body) + 1]) + body


def tlv(kind: int, value: int, words: int = 1) -> bytes:
    return bytes([kind, words]) + struct.pack(">H", value) + b"\x00" * (2 * (words - 1))


def vtp_frames() -> list[bytes]:
    dom = b"campus"
    summary = vtp_header(2, 1, 1, dom) + struct.pack(">I4s", 7, bytes([10, 0, 0, 11])) + \
        b"202311141200" + bytes.fromhex("c63f6029f7cc83e5746355850ce15de1")
    vlans = (vlan(0, 1, 1, 1500, 100001, b"default")
             + vlan(0, 1, 10, 1500, 100010, b"DATA")
             + vlan(1, 1, 20, 1500, 100020, b"VOICE")
             + vlan(0, 3, 1003, 4472, 101003, b"trcrf-default",
                    tlv(1, 0xCCC) + tlv(4, 1005) + tlv(7, 2) + tlv(8, 7) + tlv(9, 7)
                    + tlv(10, 0))
             + vlan(0, 5, 1005, 4472, 101005, b"trbrf-default",
                    tlv(2, 15) + tlv(3, 2) + tlv(6, 1))
             + vlan(0, 4, 1004, 1500, 101004, b"fddinet-default", tlv(3, 1) + tlv(11, 3)))
    subset = vtp_header(2, 2, 1, dom) + struct.pack(">I", 7) + vlans
    request = vtp_header(2, 3, 0, dom) + struct.pack(">I", 1)
    join = vtp_header(2, 4, 0, dom) + b"\x00" * 4
    no_domain = vtp_header(2, 1, 1, b"", 0) + b"\x00" * 40
    bad_tlv = vtp_header(1, 2, 2, dom) + struct.pack(">I", 8) + \
        vlan(0, 3, 1003, 4472, 101003, b"trcrf", tlv(1, 0xCCC, 2))
    short = vtp_header(2, 1, 1, dom)[:20]
    return [snap(0x2003, p) for p in (summary, subset, request, join, no_domain, bad_tlv,
                                      short)]


def macctrl(payload: bytes, src: bytes = bytes.fromhex("001b21a0b0c1")) -> bytes:
    frame = bytes.fromhex("0180c2000001") + src + b"\x88\x08" + payload
    return frame + b"\x00" * max(0, 60 - len(frame))


def mpcp_frames() -> list[bytes]:
    pause = struct.pack(">HH", 1, 0xFFFF)
    pfc = struct.pack(">HH8H", 0x0101, 0x0009, 0xFFFF, 0, 0, 0x0100, 0, 0, 0, 0)
    gate = struct.pack(">HIB", 2, 123456, 0x08 | 2) + struct.pack(">IH", 1000, 200) + \
        struct.pack(">IH", 5000, 300) + struct.pack(">H", 16)
    report = struct.pack(">HIB", 3, 777, 3) + bytes([0x05]) + struct.pack(">HH", 10, 20) + \
        bytes([0x80]) + struct.pack(">H", 30)
    reg_req = struct.pack(">HIBB", 4, 42, 1, 4)
    reg = struct.pack(">HIHBHB", 5, 43, 7, 3, 64, 4)
    reg_ack = struct.pack(">HIBHH", 6, 44, 1, 7, 64)
    frames = [macctrl(x) for x in (pause, pfc, gate, report, reg_req, reg, reg_ack)]
    frames.append(macctrl(b"")[:16])
    return frames


def main(out: Path) -> None:
    (out / "crafted_vtp.pcap").write_bytes(pcap(vtp_frames()))
    (out / "crafted_mpcp.pcap").write_bytes(pcap(mpcp_frames()))


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).parent)
