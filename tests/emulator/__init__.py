"""Test equipment: a Kubernetes API emulator and a test PKI. Product code never imports this."""

from .apiserver import Emulator, RESOURCES  # noqa: F401
