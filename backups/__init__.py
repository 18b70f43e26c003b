"""`backup` and `restore`: the SQLite database and the uploads in one checked archive."""
