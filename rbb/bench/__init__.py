"""Scale and speed: a seeded dataset generator (dataset.py) and the benchmark runner (runner.py).

`manage.py generate_dataset` and `manage.py bench` are the entry points; `make bench` runs
both on PostgreSQL and writes docs/benchmarks.md.
"""
