"""The MkDocs plugin (entry point `mkdocs.plugins`: ipemu) builds a site from docs/
with `--strict`; a stale page fails the strict build. Skipped without MkDocs (the
`docs` extra)."""
from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("mkdocs")

ROOT = Path(__file__).resolve().parent.parent


def build(config: Path, site: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict",
                           "-f", str(config), "-d", str(site)],
                          capture_output=True, text=True)


def test_site_builds_from_docs(tmp_path):
    done = build(ROOT / "mkdocs.yml", tmp_path / "site")
    assert done.returncode == 0, done.stderr
    index = (tmp_path / "site/index.html").read_text()
    assert "From 192.168.2.11 icmp_seq=1 Destination Host Unreachable" in index
    assert (tmp_path / "site/arp.pcap").read_bytes() == (ROOT / "docs/arp.pcap").read_bytes()
    seed = (tmp_path / "site/seed-veth/index.html").read_text()
    assert "veth设备的特点" in seed and "ARP, Request who-has 192.168.2.12" in seed


def test_blank_page_is_generated_and_stale_page_fails_strict(tmp_path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "index.md").write_text("```console\n# echo generated\n```\n")
    config = tmp_path / "mkdocs.yml"
    config.write_text("site_name: t\nplugins:\n  - ipemu:\n      check: false\n")
    done = build(config, tmp_path / "site")
    assert done.returncode == 0, done.stderr
    assert "generated\n" in (tmp_path / "site/index.html").read_text()
    config.write_text("site_name: t\nplugins:\n  - ipemu\n")
    done = build(config, tmp_path / "site")
    assert done.returncode != 0
    assert "ipemu: index.md shows stale outputs" in done.stderr
