"""ecmactl: an open, scriptable ECMA Connector Host for Microsoft Entra ID provisioning."""

__version__ = "0.1.0"
