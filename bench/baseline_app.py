"""The floor of ``bench/filter_rps.py``: a bare Starlette endpoint answering
``GET /ecma2host_SQL/scim/Users?filter=<attr> eq "<value>"`` from a Python dict, served the
way the host is served: uvicorn (same version, same HTTP and loop implementation, one worker,
no access log) over TLS with the home's certificate, through the product's own TLS context.

No authentication, no logging, no counters, no SCIM rules: a Starlette ``Route``, the query
string parsed by Starlette, a regular expression for the filter, a dict lookup of the user's
resource (built at start from the home's SQLite database) and a ``JSONResponse``.

Run (the benchmark does):  .venv/bin/python bench/baseline_app.py --home H --port P
"""

from __future__ import annotations

import argparse
import re
import sqlite3
from pathlib import Path
from typing import Any

import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, PlainTextResponse, Response
from starlette.routing import Route

from ecmactl.certs.tls import host_tls_context
from ecmactl.config.store import load_settings
from ecmactl.home import Home

CORE = "urn:ietf:params:scim:schemas:core:2.0:User"
EXT = "urn:ietf:params:scim:schemas:extension:ECMA2Host:2.0:User"
LIST = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
FILTER = re.compile(r'^\s*(\S+)\s+eq\s+"((?:[^"\\]|\\.)*)"\s*$', re.IGNORECASE)


def load_users(db: Path, base: str) -> dict[str, dict[str, Any]]:
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    users: dict[str, dict[str, Any]] = {}
    for r in conn.execute("SELECT * FROM Employees"):
        login = r["ContosoLogin"]
        users[login] = {
            "schemas": [CORE, EXT],
            "id": login,
            "userName": login,
            "externalId": r["AzureID"],
            "name": {"givenName": r["FirstName"], "familyName": r["LastName"]},
            "emails": [{"type": "work", "value": r["Email"], "primary": True}],
            "active": not r["AccountDisabled"],
            EXT: {
                "ContosoLogin": login,
                "FirstName": r["FirstName"],
                "LastName": r["LastName"],
                "Email": r["Email"],
                "InternalGUID": r["InternalGUID"],
                "AzureID": r["AzureID"],
                "textID": r["textID"],
                "AccountDisabled": bool(r["AccountDisabled"]),
                "LastModified": r["LastModified"],
            },
            "meta": {
                "resourceType": "User",
                "location": f"{base}/Users/{login}",
                "lastModified": r["LastModified"],
            },
        }
    conn.close()
    return users


def make_app(users: dict[str, dict[str, Any]]) -> Starlette:
    async def list_users(request: Request) -> Response:
        match = FILTER.match(request.query_params.get("filter", ""))
        user = users.get(match.group(2)) if match else None
        found = [user] if user is not None else []
        return JSONResponse(
            {
                "schemas": [LIST],
                "totalResults": len(found),
                "startIndex": 1,
                "itemsPerPage": len(found),
                "Resources": found,
            },
            media_type="application/scim+json",
        )

    async def health(request: Request) -> Response:
        return PlainTextResponse("ok")

    return Starlette(
        routes=[
            Route("/ecma2host_SQL/scim/Users", list_users, methods=["GET"]),
            Route("/health", health, methods=["GET"]),
        ]
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--home", type=Path, required=True)
    parser.add_argument("--port", type=int, required=True)
    args = parser.parse_args()
    home = Home(args.home)
    settings = load_settings(home)
    tls = host_tls_context(home, settings)
    base = f"https://{settings.hostname}:{args.port}/ecma2host_SQL/scim"
    users = load_users(home.root / "data" / "contoso.db", base)
    config = uvicorn.Config(
        make_app(users),
        host="127.0.0.1",
        port=args.port,
        lifespan="off",
        log_config=None,
        log_level="warning",
        access_log=False,
        proxy_headers=False,
        server_header=False,
        ssl_context_factory=lambda _config, _default: tls.context,
    )
    uvicorn.Server(config).run()


if __name__ == "__main__":
    main()
