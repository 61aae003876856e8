"""Fuzzing tools (issue 16): `python -m ipemu.fuzz.diff` compares generated command
sequences on the real kernel (in fresh namespaces, through `ipemu record`'s machinery)
with ipemu."""
