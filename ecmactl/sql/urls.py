"""What a user types on the Connectivity page, turned into a SQLAlchemy URL.

Accepted forms: a SQLAlchemy URL (``sqlite:///…``, ``postgresql://…``, ``mysql://…``,
``mariadb://…``, ``mssql+pyodbc://…``), a path to a SQLite file, an ODBC connection string
(``Driver={…};Server=…;Database=…``) or a file DSN (``*.dsn``) as the ECMA2Host wizard takes.
Bare ``postgresql://``/``mysql://``/``mariadb://`` get the drivers ecmactl ships (psycopg,
pymysql). ODBC input for SQL Server becomes ``mssql+pyodbc:///?odbc_connect=…``; ODBC input for
a PostgreSQL or MySQL/MariaDB driver becomes a native URL, so no ODBC driver is needed.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import urlencode

from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import ArgumentError

from ecmactl.errors import UsageError

ACCEPTED_FORMS = (
    "sqlite:///path/to/file.db, or a path ending in .db, .sqlite or .sqlite3",
    "postgresql://user@host:5432/database",
    "mysql://user@host:3306/database or mariadb://user@host:3306/database",
    "mssql+pyodbc://… or an ODBC connection string: Driver={…};Server=…;Database=…",
    "a file DSN (*.dsn, UTF-8, with an [ODBC] section)",
)
_ACCEPTED_HINT = "Accepted forms: " + "; ".join(ACCEPTED_FORMS) + "."

# Backend -> the driver ecmactl installs for it. The value is used when the user names none.
DEFAULT_DRIVERS = {
    "sqlite": "pysqlite",
    "postgresql": "psycopg",
    "mysql": "pymysql",
    "mariadb": "pymysql",
    "mssql": "pyodbc",
}
_SQLITE_SUFFIXES = (".db", ".sqlite", ".sqlite3", ".db3")
_ODBC_USER_KEYS = {"uid", "user", "user id", "username"}
_ODBC_PASSWORD_KEYS = {"pwd", "password"}
_ODBC_MARKER_KEYS = {"driver", "dsn", "filedsn", "server", "servername"}
_MASK = "***"


def parse_database_url(
    text: str | URL, *, user: str | None = None, password: str | None = None
) -> URL:
    """Turn Connectivity-page input into a SQLAlchemy URL with our drivers filled in.

    ``user`` and ``password`` (asked separately by the wizard) take precedence over any in the
    input. Raises UsageError naming the accepted forms when the input is none of them.
    """
    url = _fill_driver(text) if isinstance(text, URL) else _parse_text(text)
    return _with_credentials(url, user, password)


def normalize_database_url(
    text: str | URL, *, user: str | None = None, password: str | None = None
) -> str:
    """Like parse_database_url, rendered back to a string (password included, if any)."""
    return render_url(parse_database_url(text, user=user, password=password))


def render_url(url: URL) -> str:
    """The URL as a string, password included; SQLite paths stay legible (``C:/…``)."""
    if url.get_backend_name() != "sqlite" or url.username or url.host:
        return url.render_as_string(hide_password=False)
    rendered = f"{url.drivername}://"
    if url.database:
        rendered += "/" + _escape_path(url.database)
    if url.query:
        rendered += "?" + urlencode(dict(url.query), doseq=True)
    return rendered


def display_url(url: str | URL) -> str:
    """The URL for messages and logs, every password masked (also inside ODBC strings).

    For reading, not parsing: query values are shown decoded, so an ODBC string stays legible.
    """
    if isinstance(url, str):
        try:
            parsed = make_url(url)
        except ArgumentError:
            return mask_secrets(url)
    else:
        parsed = url
    base = parsed.set(query={}).render_as_string(hide_password=True)
    shown = []
    for key, value in parsed.query.items():
        for item in (value,) if isinstance(value, str) else value:
            masked = _MASK if key.lower() in _ODBC_PASSWORD_KEYS else mask_secrets(item)
            shown.append(f"{key}={masked}")
    return base + ("?" + "&".join(shown) if shown else "")


def split_password(url: str | URL) -> tuple[str, str | None]:
    """Return (URL without its password, the password): config files keep only a reference."""
    parsed = parse_database_url(url)
    password = parsed.password if isinstance(parsed.password, str) else None
    parsed = parsed._replace(password=None)  # URL.set() treats None as "unchanged"
    odbc = parsed.query.get("odbc_connect")
    if isinstance(odbc, str):
        pairs = parse_odbc_string(odbc)
        for key in list(pairs):
            if key.lower() in _ODBC_PASSWORD_KEYS:
                password = pairs.pop(key)
        parsed = parsed.update_query_dict({"odbc_connect": render_odbc_string(pairs)})
    for key, value in parsed.query.items():
        if key.lower() in _ODBC_PASSWORD_KEYS and isinstance(value, str):
            password = value  # libpq-style ?password=…
    parsed = parsed.difference_update_query(_password_query_keys(parsed))
    return render_url(parsed), password


def strip_password(text: str) -> tuple[str, str | None]:
    """Like split_password for Connectivity-page input, keeping the form the user typed.

    An ODBC string stays an ODBC string (its PWD= pair removed); a file DSN is returned as is
    (its password lives in the DSN file, not in ecmactl's config). Raises UsageError like
    parse_database_url for input that is none of the accepted forms.
    """
    if "://" not in text and text.lower().endswith(".dsn"):
        return text, None
    if _looks_like_odbc(text):
        pairs = parse_odbc_string(text)
        found = [key for key in pairs if key.lower() in _ODBC_PASSWORD_KEYS]
        if not found:
            return text, None
        password = pairs[found[0]]
        for key in found:
            del pairs[key]
        return render_odbc_string(pairs), password
    stripped, in_url = split_password(text)
    return (stripped, in_url) if in_url is not None else (text, None)


def sqlite_url(path: Path | str) -> str:
    """The SQLAlchemy URL of a SQLite file (absolute, forward slashes, also on Windows)."""
    return "sqlite:///" + _escape_path(Path(path).expanduser().absolute().as_posix())


def mask_secrets(text: str) -> str:
    """Mask password-looking parts of free text (a URL we could not parse, a driver message)."""
    # user:password@ (greedy: a raw '/' in a password is what makes a URL unparseable)
    text = re.sub(r"([^:/@\s;]+:)[^@\s]+@", rf"\g<1>{_MASK}@", text)
    return re.sub(
        r"(?i)\b(pwd|password)(\s*=\s*)(\{(?:[^}]|\}\})*\}|[^;&\s]*)", rf"\1\2{_MASK}", text
    )


# -- ODBC ------------------------------------------------------------------------------------


def parse_odbc_string(text: str) -> dict[str, str]:
    """Parse ``key=value;…`` with ``{…}`` quoting (``}}`` escapes ``}``), keeping key order."""
    pairs: dict[str, str] = {}
    i, n = 0, len(text)
    while i < n:
        eq = text.find("=", i)
        if eq < 0:
            if text[i:].strip(" ;"):
                raise ValueError(f"missing '=' after {text[i:].strip()!r}")
            break
        key = text[i:eq].strip(" ;")
        i = eq + 1
        while i < n and text[i] == " ":
            i += 1
        if i < n and text[i] == "{":
            value, i = _read_braced(text, i)
            semi = text.find(";", i)
            i = n if semi < 0 else semi + 1
        else:
            semi = text.find(";", i)
            end = n if semi < 0 else semi
            value, i = text[i:end].strip(), end + 1
        if not key:
            raise ValueError("empty key")
        pairs[key] = value
    return pairs


def render_odbc_string(pairs: dict[str, str]) -> str:
    """Render pairs as an ODBC connection string, bracing values that need it (and DRIVER)."""
    parts = []
    for key, value in pairs.items():
        needs_braces = (
            key.lower() == "driver" or any(c in value for c in ";{}=") or (value != value.strip())
        )
        parts.append(f"{key}={{{value.replace('}', '}}')}}}" if needs_braces else f"{key}={value}")
    return ";".join(parts)


def read_file_dsn(path: Path) -> dict[str, str]:
    """Read the ``[ODBC]`` section of a file DSN (UTF-8 as ECMA2Host expects; UTF-16 with BOM)."""
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise UsageError(
            f"The file DSN {path} does not exist.",
            hint="Check the path; the ODBC Data Source Administrator saves file DSNs "
            "in your Documents folder by default.",
        ) from None
    except OSError as exc:
        raise UsageError(
            f"Cannot read the file DSN {path}: {exc.strerror}.",
            hint="Check the file's permissions.",
        ) from None
    utf16 = raw[:2] in (b"\xff\xfe", b"\xfe\xff")  # what Windows tools call "Unicode"
    try:
        text = raw.decode("utf-16") if utf16 else raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UsageError(
            f"The file DSN {path} is not UTF-8 text.",
            hint="Save it as UTF-8 (in Notepad: Save As, Encoding: UTF-8).",
        ) from None
    pairs: dict[str, str] = {}
    section: str | None = None
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith((";", "#")):
            continue
        if line.startswith("[") and line.endswith("]"):
            section = line[1:-1].strip().upper()
        elif section == "ODBC" and "=" in line:
            key, value = line.split("=", 1)
            pairs[key.strip()] = value.strip()
    if not pairs:
        raise UsageError(
            f"The file DSN {path} has no [ODBC] section with key=value lines.",
            hint="Create it with the 64-bit ODBC Data Source Administrator (File DSN tab), "
            "or type an ODBC connection string instead.",
        )
    return pairs


def _url_from_odbc(pairs: dict[str, str]) -> URL:
    driver = _get(pairs, "driver") or ""
    lowered = driver.lower()
    if "postgres" in lowered or "psql" in lowered:
        return _native_url("postgresql+psycopg", pairs, extra={"sslmode": _get(pairs, "sslmode")})
    if "mysql" in lowered or "mariadb" in lowered:
        return _native_url("mysql+pymysql", pairs, extra={})
    return URL.create(
        "mssql+pyodbc", database="", query={"odbc_connect": render_odbc_string(pairs)}
    )


def _native_url(drivername: str, pairs: dict[str, str], extra: dict[str, str | None]) -> URL:
    # psqlODBC and MySQL Connector/ODBC name the same things differently.
    port = _get(pairs, "port")
    return URL.create(
        drivername,
        username=_get(pairs, *_ODBC_USER_KEYS),
        password=_get(pairs, *_ODBC_PASSWORD_KEYS),
        host=_get(pairs, "server", "servername", "host"),
        port=int(port) if port and port.isdigit() else None,
        database=_get(pairs, "database", "db"),
        query={k: v for k, v in extra.items() if v},
    )


def _get(pairs: dict[str, str], *keys: str) -> str | None:
    wanted = {k.lower() for k in keys}
    return next((v for k, v in pairs.items() if k.lower() in wanted and v), None)


def _looks_like_odbc(text: str) -> bool:
    if "://" in text or "=" not in text:
        return False
    try:
        keys = {key.lower() for key in parse_odbc_string(text)}
    except ValueError:
        return False
    return bool(keys & _ODBC_MARKER_KEYS)


# -- parsing -------------------------------------------------------------------------------


def _parse_text(text: str) -> URL:
    text = _strip_quotes(text.strip())
    if not text:
        raise UsageError("No database URL was given.", hint=_ACCEPTED_HINT)
    if "://" not in text and text.lower().endswith(".dsn"):
        return _url_from_odbc(read_file_dsn(Path(text).expanduser()))
    if _looks_like_odbc(text):
        return _url_from_odbc(parse_odbc_string(text))
    if "://" not in text and text.lower().endswith(_SQLITE_SUFFIXES):
        return make_url(sqlite_url(text))
    try:
        url = make_url(text)
    except (ArgumentError, ValueError):
        raise UsageError(
            f"Cannot read {mask_secrets(text)!r} as a database URL.", hint=_ACCEPTED_HINT
        ) from None
    return _fill_driver(url)


def _fill_driver(url: URL) -> URL:
    backend = url.get_backend_name()
    if backend == "postgres":  # Heroku-style; SQLAlchemy itself no longer accepts it
        url, backend = url.set(drivername="postgresql"), "postgresql"
    if backend not in DEFAULT_DRIVERS:
        raise UsageError(
            f"'{backend}' is not a database ecmactl supports.",
            hint="Use SQLite, PostgreSQL, MySQL/MariaDB or SQL Server. " + _ACCEPTED_HINT,
        )
    if "+" not in url.drivername and backend != "sqlite":
        url = url.set(drivername=f"{backend}+{DEFAULT_DRIVERS[backend]}")
    return url


def _with_credentials(url: URL, user: str | None, password: str | None) -> URL:
    if (user is None and password is None) or url.get_backend_name() == "sqlite":
        return url  # SQLite has no accounts; the file's permissions are its access control
    odbc = url.query.get("odbc_connect")
    if isinstance(odbc, str):
        pairs = parse_odbc_string(odbc)
        for key in list(pairs):
            lowered = key.lower()
            if (user is not None and lowered in _ODBC_USER_KEYS) or (
                password is not None and lowered in _ODBC_PASSWORD_KEYS
            ):
                del pairs[key]
        if user is not None:
            pairs["UID"] = user
        if password is not None:
            pairs["PWD"] = password
        return url.update_query_dict({"odbc_connect": render_odbc_string(pairs)})
    if user is not None:
        url = url.set(username=user)
    if password is not None:
        # A ?password=… would override it in the driver's connect arguments.
        url = url.set(password=password).difference_update_query(_password_query_keys(url))
    return url


def _password_query_keys(url: URL) -> list[str]:
    return [key for key in url.query if key.lower() in _ODBC_PASSWORD_KEYS]


def _read_braced(text: str, start: int) -> tuple[str, int]:
    out: list[str] = []
    i = start + 1
    while i < len(text):
        if text[i] == "}":
            if text.startswith("}}", i):
                out.append("}")
                i += 2
                continue
            return "".join(out), i + 1
        out.append(text[i])
        i += 1
    raise ValueError("unterminated '{'")


def _escape_path(path: str) -> str:
    # make_url percent-decodes the path: escape only what would be misread.
    return path.replace("%", "%25").replace("?", "%3F").replace("#", "%23")


def _strip_quotes(text: str) -> str:
    # Windows Explorer's "Copy as path" wraps paths in double quotes.
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
        return text[1:-1].strip()
    return text
