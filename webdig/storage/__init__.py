"""Storage: saved results (snapshots) in a database, and the migrations of its schema.

SQLAlchemy Core over an embedded SQLite file by default, or PostgreSQL (psycopg 3)
when ``DATABASE_URL`` names one; the schema is changed only by the Alembic scripts in
``migrations/``, which ship inside the package.

May import: ``webdig.errors``, SQLAlchemy, Alembic, psycopg and the standard library.
Never Flask, and nothing from the other areas: what is stored is plain JSON data and
raw DNS replies, built by the callers.
"""
