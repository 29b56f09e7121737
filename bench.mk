# `make bench`: the benchmark on PostgreSQL, written to docs/benchmarks.md (rbb.bench).
# Included from the Makefile (`include bench.mk`); uses its PY and STAMP.
#
# It drops and recreates the database BENCH_DB (default rbb_bench: nothing else may live
# there), loads the demo and the generated dataset at scale 1, measures pages, documents, the
# bulk export and a 90-second load test, then recreates the database at scale 10 for the
# export again. About 7 minutes on 2 cores. Run it when the machine is quiet (`uptime`).
BENCH_DB ?= rbb_bench
BENCH_PG ?= -h 127.0.0.1 -p 5432 -U postgres
BENCH_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/$(BENCH_DB)
BENCH_SEED ?= 1
BENCH_ARGS ?=
BENCH_STATE := .bench/results.json
# As in production (docker-compose.yml): a shared Redis cache (login limit, sessions).
BENCH_CACHE_URL ?= redis://127.0.0.1:6379/3
BENCH_ENV = DATABASE_URL=$(BENCH_DATABASE_URL) CACHE_URL=$(BENCH_CACHE_URL) DJANGO_SETTINGS_MODULE=rbb.bench.settings \
	BENCH_SECRET_KEY=$$(cat .bench/secret) CELERY_BROKER_URL= LOG_LEVEL=WARNING

.PHONY: bench

# A fresh database with the demo: dropped, created, migrated, seeded.
define BENCH_FRESH_DB
dropdb $(BENCH_PG) --if-exists $(BENCH_DB)
createdb $(BENCH_PG) $(BENCH_DB)
$(BENCH_ENV) $(PY) manage.py migrate --noinput -v 0
$(BENCH_ENV) $(PY) manage.py seed_demo > /dev/null
$(BENCH_ENV) $(PY) manage.py shell -v 0 -c "from django.core.cache import cache; cache.clear()"
endef

bench: $(STAMP)
	$(PY) -m pip install --quiet -r requirements-bench.txt
	@mkdir -p .bench && test -s .bench/secret || $(PY) -c "import secrets; print(secrets.token_urlsafe(50))" > .bench/secret
	@echo "== load average before the benchmark: $$(cut -d' ' -f1-3 /proc/loadavg)"
	$(BENCH_FRESH_DB)
	$(BENCH_ENV) $(PY) manage.py generate_dataset --scale 1 --seed $(BENCH_SEED)
	$(BENCH_ENV) $(PY) manage.py bench --phase scale1 --state $(BENCH_STATE) $(BENCH_ARGS) > /dev/null
	$(BENCH_FRESH_DB)
	$(BENCH_ENV) $(PY) manage.py generate_dataset --scale 10 --seed $(BENCH_SEED) --periods 1
	$(BENCH_ENV) $(PY) manage.py bench --phase scale10 --state $(BENCH_STATE) --write docs/benchmarks.md
