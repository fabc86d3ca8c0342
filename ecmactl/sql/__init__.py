"""The Generic SQL connector: URLs, connections, schema detection and the sample database.

Import the modules you need (``ecmactl.sql.connect``, ``.schema``, ``.urls``, ``.sample``); this
package imports nothing itself, so ``ecmactl.sql.sample`` stays free of SQLAlchemy (fast start).
SQLAlchemy is imported only inside this package.
"""
