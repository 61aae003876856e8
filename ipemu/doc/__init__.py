"""`ipemu doc`: documents whose console outputs ipemu writes and checks.

document.py reads a Markdown file (or a cram `.t` file) into the bytes that stay as
written and the output slots under each command; run.py runs the commands on one
simulated host per document (virtual time); main.py is the command (`--check`,
`--update`, `--clean`, `--cast`); cast.py writes asciicast v2; mkdocs_plugin.py
regenerates pages while MkDocs builds a site.
"""
