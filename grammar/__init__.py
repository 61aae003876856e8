"""The Lark grammars of ipemu, installed as the package data `ipemu.grammar`."""
