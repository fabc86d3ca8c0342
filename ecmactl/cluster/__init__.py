"""Several hosts on one database: host registry, change feed, negative cache.

The connector's database is the only thing hosts share: each registers in an ecmactl-owned
table (``registry``) and learns the others' writes from a feed the database delivers
(``change_feed``: PostgreSQL LISTEN/NOTIFY, MariaDB/MySQL a change-log table written in the same
transaction as the row); ``member`` ties both to one connector's cache. SQLite serves one host
(``sqlite_claim``). ``member`` brings SQLAlchemy: import it where a SQL store is opened.
"""
