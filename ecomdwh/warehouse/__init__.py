"""The warehouse: Redshift-dialect SQL in warehouse_sql/, its strict gate, its translation to DuckDB for
the local target, and the Redshift Data API runner that applies it in dependency order."""
