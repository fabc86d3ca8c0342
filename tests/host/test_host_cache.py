"""The cache: indexes kept in step with writes, lazy indexes, renderings per row version."""

from __future__ import annotations

import json
import random

import pytest
from hostkit import make_connector, seed_rows

from ecmactl.host.cache import Cache, FoldedAnchorIndex, Index, key_function
from ecmactl.scim.mapping import Target, UserMapping

BASE = "https://h/ecma2host_contoso/scim"


@pytest.fixture
def mapping() -> UserMapping:
    return UserMapping(make_connector())


def test_index_holds_one_or_many_anchors() -> None:
    index = Index()
    index.add("k", "a")
    assert list(index.get("k")) == ["a"]
    index.add("k", "b")
    index.add("k", "b")
    assert list(index.get("k")) == ["a", "b"] and len(index) == 2
    index.remove("k", "a")
    assert list(index.get("k")) == ["b"]
    index.remove("k", "b")
    index.remove("k", "zzz")
    assert list(index.get("k")) == [] and len(index) == 0


@pytest.mark.parametrize("case_exact", [True, False])
@pytest.mark.parametrize("value", ["MiXed", 42, b"\x00", None])
def test_index_keys_agree_with_the_mapping(
    mapping: UserMapping, case_exact: bool, value: object
) -> None:
    target = Target("x", "column", mapping.anchor, case_exact)
    assert key_function(case_exact)(value) == mapping.index_key(target, value)


def test_upsert_and_delete_keep_indexes_in_step(mapping: UserMapping) -> None:
    spec = ("Email", False)
    cache = Cache(mapping, [spec, ("ContosoLogin", True)])
    cache.load(seed_rows())
    assert [r["ContosoLogin"] for r in cache.lookup(spec, "avance@contoso.com")] == ["avance"]
    row = {**cache.rows["avance"], "Email": "New@Contoso.com"}
    cache.upsert(row)
    assert cache.lookup(spec, "avance@contoso.com") == []
    assert cache.lookup(spec, "new@contoso.com") == [row]
    assert cache.lookup(("ContosoLogin", True), "avance") == [row]  # the rows dict itself
    assert cache.delete("avance") and not cache.delete("avance")
    assert cache.lookup(spec, "new@contoso.com") == []
    assert len(cache) == 4


def test_an_index_not_built_at_import_is_built_when_asked(mapping: UserMapping) -> None:
    cache = Cache(mapping)
    cache.load(seed_rows())
    assert not cache.has_index(("LastName", False))
    assert [r["ContosoLogin"] for r in cache.lookup(("LastName", False), "vance")] == ["avance"]
    assert cache.has_index(("LastName", False))
    cache.upsert({**cache.rows["mbowen"], "LastName": "Vance"})
    found = cache.lookup(("LastName", False), "vance")
    assert sorted(r["ContosoLogin"] for r in found) == ["avance", "mbowen"]


def test_renderings_follow_the_row_version(mapping: UserMapping) -> None:
    cache = Cache(mapping)
    cache.load(seed_rows())
    first = cache.encoded(cache.rows["avance"], BASE)
    assert cache.encoded(cache.rows["avance"], BASE) is first  # rendered once
    assert json.loads(first) == cache.resource(cache.rows["avance"], BASE)
    cache.upsert({**cache.rows["avance"], "FirstName": "Changed"})
    assert json.loads(cache.encoded(cache.rows["avance"], BASE))["name"]["givenName"] == "Changed"
    other = json.loads(cache.encoded(cache.rows["avance"], "https://other/x"))
    assert other["meta"]["location"] == "https://other/x/Users/avance"


def test_renderings_kept_are_bounded(mapping: UserMapping, monkeypatch: pytest.MonkeyPatch) -> None:
    """Reading every user must not keep every user's JSON: the oldest rendering goes first."""
    import ecmactl.host.cache as cache_module

    monkeypatch.setattr(cache_module, "_MAX_RENDERED_PER_URL", 2)
    cache = Cache(mapping)
    cache.load(seed_rows())
    anchors = list(cache.rows)[:3]
    first = cache.encoded(cache.rows[anchors[0]], BASE)
    for anchor in anchors[1:]:
        cache.encoded(cache.rows[anchor], BASE)

    kept = cache._encoded[BASE]
    assert list(kept) == anchors[1:]  # the first was evicted
    again = cache.encoded(cache.rows[anchors[0]], BASE)
    assert again == first and again is not first  # rendered again, identical


def test_a_stale_row_is_not_cached_as_the_rendering(mapping: UserMapping) -> None:
    cache = Cache(mapping)
    cache.load(seed_rows())
    stale = cache.rows["avance"]
    cache.upsert({**stale, "FirstName": "Fresh"})
    cache.encoded(stale, BASE)
    fresh = json.loads(cache.encoded(cache.rows["avance"], BASE))
    assert fresh["name"]["givenName"] == "Fresh"


def test_a_duplicate_anchor_in_an_import_keeps_the_last_row(mapping: UserMapping) -> None:
    cache = Cache(mapping, [("Email", False)])
    rows = seed_rows()
    cache.load([*rows, {**rows[0], "Email": "dup@contoso.com"}])
    assert len(cache) == 5
    assert cache.lookup(("Email", False), rows[0]["Email"]) == []


def test_an_import_indexes_shared_values_under_every_anchor(mapping: UserMapping) -> None:
    cache = Cache(mapping, [("LastName", False)])
    rows = seed_rows()
    shared = [{**r, "LastName": "Smith" if i % 2 else "SMITH"} for i, r in enumerate(rows)]
    cache.load(shared[:2])
    cache.load(shared[2:])
    found = sorted(r["ContosoLogin"] for r in cache.lookup(("LastName", False), "smith"))
    assert found == sorted(r["ContosoLogin"] for r in rows)
    cache.delete(rows[0]["ContosoLogin"])
    assert len(cache.lookup(("LastName", False), "smith")) == 4


def _folded_answers(cache: Cache, keys: list[str]) -> dict[str, list[str]]:
    spec = ("ContosoLogin", False)
    return {k: sorted(r["ContosoLogin"] for r in cache.lookup(spec, k)) for k in keys}


def test_the_folded_anchor_index_answers_as_a_full_index(mapping: UserMapping) -> None:
    """The case-insensitive anchor index keeps only anchors that change when folded; every
    lookup must still answer exactly what a complete index of folded anchors would."""
    rng = random.Random(7)
    names = ["jdoe", "JDoe", "JDOE", "straße", "STRASSE", "strasse", "avance", "Avance", "x"]
    cache = Cache(mapping, [("ContosoLogin", False)])
    base = seed_rows()[0]
    cache.load([{**base, "ContosoLogin": n} for n in names[:4]])
    for _ in range(400):  # random upserts and deletes, checked against a model each step
        name = rng.choice(names)
        if rng.random() < 0.6:
            cache.upsert({**base, "ContosoLogin": name})
        else:
            cache.delete(name)
        keys = sorted({n.casefold() for n in names} | set(names))
        expected = {
            k: sorted(a for a in cache.rows if a.casefold() == k) if k == k.casefold() else []
            for k in keys
        }
        assert _folded_answers(cache, keys) == expected
    assert len(cache._indexes[("ContosoLogin", False)][2]) == len(cache)


def test_the_folded_anchor_index_stores_only_anchors_that_fold(mapping: UserMapping) -> None:
    cache = Cache(mapping, [("ContosoLogin", False)])
    base = seed_rows()[0]
    cache.load([{**base, "ContosoLogin": n} for n in ("lower", "Mixed", "also-lower")])
    index = cache._indexes[("ContosoLogin", False)][2]
    assert isinstance(index, FoldedAnchorIndex)
    assert dict(index._folded._one) == {"mixed": "Mixed"}  # the rows dict serves the others
    assert _folded_answers(cache, ["lower", "mixed", "Mixed"]) == {
        "lower": ["lower"],
        "mixed": ["Mixed"],
        "Mixed": [],  # keys of a folded index are folded; an unfolded key matches nothing
    }


@pytest.mark.parametrize("seed", range(12))
def test_a_batch_import_indexes_exactly_as_row_by_row_upserts(
    mapping: UserMapping, seed: int
) -> None:
    """Loading batches (duplicate anchors in a batch or across batches, None, non-str and
    shared values) leaves the same rows and answers every lookup as upserting them one by
    one."""
    rng = random.Random(seed)
    specs = [("ContosoLogin", False), ("Email", False), ("AzureID", True), ("LastName", False)]
    base = seed_rows()[0]
    pool = ["ann", "Ann", "bob", "BOB", "cy", "straße", "STRASSE", 7, 8]

    def row(i: int) -> dict[str, object]:
        shared = rng.random() < 0.3
        return {
            **base,
            "ContosoLogin": rng.choice(pool) if shared else f"u{seed}-{i}",
            "Email": None if rng.random() < 0.1 else rng.choice(["A@x", "a@X", f"e{i}@x"]),
            "AzureID": rng.choice([None, 5, f"id-{i}", f"id-{i}"]) if shared else f"id-{i}",
            "LastName": rng.choice(["Smith", "SMITH", f"L{i}"]),
        }

    batches = [[row(b * 100 + i) for i in range(rng.randint(0, 12))] for b in range(8)]
    loaded, reference = Cache(mapping, specs), Cache(mapping, specs)
    for batch in batches:
        loaded.load(batch)
        for r in batch:
            reference.upsert(r)
    assert loaded.rows == reference.rows
    keys = {v for b in batches for r in b for v in r.values()} | {"ann", "bob", "strasse", "a@x"}
    folded = {k.casefold() if isinstance(k, str) else k for k in keys if k is not None}
    for spec in specs:
        for key in folded | {k for k in keys if k is not None}:
            got = sorted(map(str, (r["ContosoLogin"] for r in loaded.lookup(spec, key))))
            want = sorted(map(str, (r["ContosoLogin"] for r in reference.lookup(spec, key))))
            assert got == want, (spec, key)


def test_a_multi_valued_index_finds_a_row_by_any_of_its_values() -> None:
    from multi_valued_fixtures import with_child_tables

    mapping = UserMapping(with_child_tables(make_connector()))
    spec = ("roleCodes", False)
    rows = [
        dict(r, Address=[], roleCodes=[{"value": f"R-{i}"}, {"value": "all"}])
        for i, r in enumerate(seed_rows())
    ]
    for cache in (Cache(mapping, [spec]), Cache(mapping)):  # built at load, or on first use
        cache.load([dict(r) for r in rows])
        first = rows[0]["ContosoLogin"]
        assert [r["ContosoLogin"] for r in cache.lookup(spec, "r-0")] == [first]
        assert len(cache.lookup(spec, "all")) == 5
        changed = dict(rows[0], roleCodes=[{"value": "new"}])
        cache.upsert(changed)
        assert cache.lookup(spec, "r-0") == [] and cache.lookup(spec, "new") == [changed]
        assert len(cache.lookup(spec, "all")) == 4
        cache.delete(first)
        assert cache.lookup(spec, "new") == []
