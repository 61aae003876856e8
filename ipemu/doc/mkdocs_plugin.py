"""MkDocs plugin `ipemu`: pages' console outputs generated at build time.

    # mkdocs.yml
    plugins:
      - search
      - ipemu                # check: true (default) warns about a stale page

Each page's console blocks run on one simulated host, as `ipemu doc` runs them, and
the page is built with ipemu's outputs. A page whose file shows other outputs is
reported as a warning, so `mkdocs build --strict` fails until `ipemu doc` has
updated it. Captures written by `tcpdump -w NAME` are put beside the built page.
Installed with ipemu (entry point `mkdocs.plugins`); MkDocs itself comes with the
`docs` extra.
"""
from __future__ import annotations

import logging
from pathlib import Path

from mkdocs.config import config_options
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin

from ipemu.doc.document import DocError, parse
from ipemu.doc.main import captures
from ipemu.doc.run import new_outputs, run

log = logging.getLogger("mkdocs.plugins.ipemu")


class IpemuPlugin(BasePlugin):
    config_scheme = (("check", config_options.Type(bool, default=True)),)

    def on_pre_build(self, config, **kwargs) -> None:
        self.captures: dict[Path, bytes] = {}

    def on_page_markdown(self, markdown: str, page, config, files, **kwargs) -> str:
        path = page.file.src_uri
        try:
            doc = parse(markdown, path)
            result = run(doc)
        except DocError as err:
            raise PluginError(f"ipemu: {path}:{err.line}: {err.message}") from None
        new = doc.render(new_outputs(doc, result))
        if self.config["check"] and new != markdown:
            log.warning("ipemu: %s shows stale outputs: run `ipemu doc %s`", path, path)
        where = Path(page.file.dest_path).parent
        for name, data in captures(result).items():
            self.captures[where / name] = data
        return new

    def on_post_build(self, config, **kwargs) -> None:
        site = Path(config["site_dir"])
        for relative, data in self.captures.items():
            target = site / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
