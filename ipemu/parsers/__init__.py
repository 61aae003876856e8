"""Lark standalone parsers generated from grammar/*.lark (see ipemu/lark_cache.py)."""
