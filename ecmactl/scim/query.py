"""How to answer a filter: from an index, by a scan, or with nothing at all.

Entra queries one user at a time by a matching attribute (``userName eq "x"``,
``externalId eq "x"``, ``urn:…:ECMA2Host:2.0:User:ContosoLogin eq "x"``,
``emails[type eq "work"].value eq "x"``), probes with an attribute that does not exist
(``PLACEHOLDER eq "<guid>"``), and checks ``id eq "a" and manager eq "b"``. A multi-valued
attribute from a child table (``emails[type eq "work"].value eq "x"``) is looked up by value
in an index of every element's value, and the filter evaluated on the candidates. The plan turns
each of these into a key lookup or an immediate empty answer; only other filters need a scan.

The host keeps one index per ``(column name, case_exact)`` pair of :meth:`UserMapping.index_specs`,
keyed by ``mapping.index_key(target, row[column])``.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass
from typing import Literal

from ecmactl.scim.evaluate import equality_lookup
from ecmactl.scim.filter import Filter
from ecmactl.scim.mapping import Target, UserMapping


@dataclass(frozen=True, slots=True)
class QueryPlan:
    """``index``: fetch rows by ``key`` from the index of ``target``; ``exact`` means they all
    match, otherwise evaluate the filter on them. ``scan``: evaluate the filter on every
    resource. ``none``: nothing can match (an unknown attribute or an impossible value)."""

    kind: Literal["index", "scan", "none"]
    target: Target | None = None
    key: Hashable | None = None
    exact: bool = False


SCAN = QueryPlan("scan")
NONE = QueryPlan("none")


def plan_query(mapping: UserMapping, f: Filter) -> QueryPlan:
    """The cheapest correct way to find the resources matching ``f``."""
    lookup = equality_lookup(f)
    if lookup is None:
        return SCAN
    path = lookup.path
    multi = mapping.multi_valued_for(path)
    if multi is not None:  # a child table's values: the index of every element's value
        if (path.sub or "value").lower() != "value":
            return SCAN  # emails.type eq "work": not what the index holds
        values = mapping.multi_valued_target(multi)
        key = mapping.lookup_key(values, lookup.value)
        # The candidates hold the value somewhere: the filter (its [type eq …]) decides.
        return NONE if key is None else QueryPlan("index", values, key, exact=False)
    if path.filter is not None and not mapping.resolves_directly(path):
        return SCAN  # e.g. emails[value eq "a"].value: leave it to the evaluator
    target = mapping.resolve(path)
    if target is None:
        # Resources hold only what the mapping renders; meta and schemas are no columns.
        rendered = path.urn is None and path.attr.lower() in ("meta", "schemas")
        return SCAN if rendered else NONE
    if not target.indexable:
        return SCAN
    key = mapping.lookup_key(target, lookup.value)
    if key is None:
        return NONE
    return QueryPlan("index", target, key, lookup.exact)
