"""ipemu: an iproute2-compatible Linux networking emulator shell."""
__version__ = "0.1.0"
