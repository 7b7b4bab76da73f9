"""The package version (read by kg.graph and the CLI; imports nothing)."""
__version__ = "0.1.0"
