# Partenariats — every set-up step a fresh Debian machine needs is here.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
LOCK := requirements/dev.lock
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: install system-packages run test test-fast lint format bench bench-reader bench-review demo worker clean lock backup restore

$(BIN)/uv:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements/bootstrap.txt 2>&1 | grep -v "is ignored" || true
	@test -x $(BIN)/uv

$(VENV)/.installed: $(BIN)/uv $(LOCK) pyproject.toml
	VIRTUAL_ENV=$(VENV) $(BIN)/uv pip sync --quiet --require-hashes $(LOCK)
	VIRTUAL_ENV=$(VENV) $(BIN)/uv pip install --quiet --no-deps -e .
	@touch $@

## install: the virtual environment .venv with the locked dependencies
install: $(VENV)/.installed

## system-packages: the Debian packages the tests and the documents need, when missing
system-packages:
	@missing=""; for pkg in chromium fonts-dejavu-core tesseract-ocr tesseract-ocr-fra poppler-utils; do \
	  dpkg-query -W -f='$${Status}' $$pkg 2>/dev/null | grep -q "install ok installed" || missing="$$missing $$pkg"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "Installing Debian packages:$$missing"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq --no-install-recommends $$missing >/dev/null; \
	fi

var:
	mkdir -p var

## run: install, migrate the SQLite database, load the demo data, serve on 127.0.0.1:8000 with a worker
run: install var
	DJANGO_DEBUG=1 $(BIN)/python manage.py migrate --no-input -v0
	DJANGO_DEBUG=1 $(BIN)/python manage.py load_demo
	@echo "Serveur : http://127.0.0.1:8000 — Ctrl-C arrête le serveur et le worker."
	@trap 'kill 0' INT TERM EXIT; \
	DJANGO_DEBUG=1 $(BIN)/python manage.py db_worker --queue-name '*' & \
	DJANGO_DEBUG=1 $(BIN)/python manage.py runserver 127.0.0.1:8000; wait

## worker: one background worker (production: run several, with DATABASE_URL set)
worker: install
	$(BIN)/python manage.py db_worker --queue-name '*'

## test: the whole suite (browser journeys included); DATABASE_URL selects PostgreSQL
test: install system-packages
	$(BIN)/pytest -n 2 --dist loadgroup $(PYTEST_ARGS)

## test-fast: the suite without the database-independent slow groups (browser, fuzzing)
test-fast: install
	$(BIN)/pytest -n 2 --dist loadgroup -m "not browser and not slow" $(PYTEST_ARGS)

## lint: the CI gate on style and migrations
lint: install
	$(BIN)/ruff format --check partenariats tests bench
	$(BIN)/ruff check partenariats tests bench
	$(BIN)/djlint --check --quiet partenariats/templates partenariats/*/templates
	$(BIN)/djlint --lint --quiet partenariats/templates partenariats/*/templates
	DJANGO_DEBUG=1 $(BIN)/python manage.py makemigrations --check --dry-run

format: install
	$(BIN)/ruff format partenariats tests bench
	$(BIN)/ruff check --fix partenariats tests bench
	$(BIN)/djlint --reformat --quiet partenariats/templates partenariats/*/templates || true

## bench-reader: the convention reader's accuracy (seeds, samples), speed and OCR overhead
bench-reader: install
	$(BIN)/python bench/reader.py $(READER_BENCH_ARGS)

## bench-review: the yearly review's content, PDF and DOCX on 10,000 activities, ratios to the indicator report
bench-review: install
	$(BIN)/python bench/review.py $(REVIEW_BENCH_ARGS)

## bench: the reader's benchmark, then load tests against gunicorn + PostgreSQL, ratios to the framework floor
bench: install bench-reader bench-review
	$(BIN)/python bench/run.py $(BENCH_ARGS)

## backup: pg_dump of DATABASE_URL and the documents folder (MEDIA_ROOT) into var/backups/<timestamp>/
backup:
	scripts/backup.sh

## restore: BACKUP=var/backups/<timestamp> into the empty database of DATABASE_URL and MEDIA_ROOT (FORCE=1 replaces)
restore:
	BACKUP="$(BACKUP)" FORCE="$(FORCE)" scripts/restore.sh

## lock: re-resolve the locked dependencies after editing pyproject.toml
lock:
	$(BIN)/uv pip compile pyproject.toml --extra dev --generate-hashes --python-version 3.11 -o requirements/dev.lock
	$(BIN)/uv pip compile pyproject.toml --generate-hashes --python-version 3.11 -o requirements/prod.lock

clean:
	rm -rf $(VENV) var/db.sqlite3* var/static var/test-media
