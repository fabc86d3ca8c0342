"""What is tested: the connector, its Tenant URL and matching attribute, and the time allowed."""

from __future__ import annotations

from urllib.parse import urlsplit

from ecmactl.config import models
from ecmactl.config.models import ECMA_EXTENSION_URN, Connector, HostSettings
from ecmactl.home import Home

DEFAULT_TIMEOUT = 10.0


def tenant_url(settings: HostSettings, connector: str) -> str:
    return models.tenant_url(settings.hostname, settings.port, connector)


def matching_attribute(connector: Connector) -> str:
    """The attribute Entra matches on: userName when the anchor is bound to it, else the
    anchor's URN-qualified ECMA2Host attribute (what Entra's default mapping targets)."""
    anchor = connector.schema.anchor
    bound = next((a.scim for a in connector.attributes if a.column == anchor), None)
    return "userName" if bound == "userName" else f"{ECMA_EXTENSION_URN}:{anchor}"


def choose_connector(home: Home, name: str | None, url: str | None) -> list[str]:
    """The connectors to test: the named one, the one the --url names, or all of them."""
    from ecmactl.connector_names import check_known, no_connectors, several

    names = home.connector_names()
    if not names:
        raise no_connectors(home)
    if name:
        return check_known(home, [name])
    if url is None:
        return names
    if len(names) == 1:
        return names
    in_url = connector_in_url(url)
    if in_url in names:
        return [in_url]
    raise several(names)  # which one's token goes with the URL cannot be guessed


def connector_in_url(url: str) -> str:
    """The connector a Tenant URL names (``…/ecma2host_<connector>/scim``), else its path."""
    path = urlsplit(url).path
    for part in path.split("/"):
        if part.startswith("ecma2host_"):
            return part[len("ecma2host_") :]
    return path
