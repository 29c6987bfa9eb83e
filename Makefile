# La 27e Région platform. Two commands for a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test setup install tools oidc-provider migrate messages worker lint format bench clean

run: setup ## Install, migrate, load the demo content and serve on http://127.0.0.1:8000
	$(PY) manage.py seed_demo --accounts
	@if [ -n "$$REDIS_URL" ]; then \
		echo "Starting a Celery worker on $$REDIS_URL"; \
		trap 'kill 0' INT TERM EXIT; \
		$(VENV)/bin/celery -A lab worker --beat --loglevel=INFO --concurrency=2 & \
		$(PY) manage.py runserver $(HOST):$(PORT); \
	else \
		$(PY) manage.py runserver $(HOST):$(PORT); \
	fi

# Locally the test databases are kept between runs (--reuse-db); CI builds them afresh from
# this checkout's migrations, whatever an earlier run left on the server.
test: setup ## Install, then run the whole test suite
	$(VENV)/bin/pytest -n auto $(if $(CI),--create-db,)

setup: install tools migrate messages

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --upgrade pip
	$(VENV)/bin/pip install --quiet -e ".[dev]"
	@touch $@

# System tools from Debian's packages, installed only when missing:
# gettext (compilemessages), chromium (browser tests), node and npm (the test OpenID provider).
tools:
	@missing=""; \
	command -v msgfmt >/dev/null 2>&1 || missing="$$missing gettext"; \
	command -v chromium >/dev/null 2>&1 || missing="$$missing chromium"; \
	command -v node >/dev/null 2>&1 || missing="$$missing nodejs"; \
	command -v npm >/dev/null 2>&1 || missing="$$missing npm"; \
	if [ -n "$$missing" ]; then \
		echo "Installing$$missing with apt-get"; \
		SUDO=""; [ "$$(id -u)" -eq 0 ] || SUDO="sudo"; \
		$$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi
	@$(MAKE) -s --no-print-directory $(OIDC_PROVIDER)/node_modules/.package-lock.json

# The test OpenID provider (ProConnect's stand-in, tests/oidc_provider): its npm packages,
# installed again only when the lockfile changes.
OIDC_PROVIDER := tests/oidc_provider
$(OIDC_PROVIDER)/node_modules/.package-lock.json: $(OIDC_PROVIDER)/package-lock.json
	cd $(OIDC_PROVIDER) && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

# ProConnect's stand-in on http://127.0.0.1:9400, to try the button with `make run` (README).
oidc-provider: tools
	cd $(OIDC_PROVIDER) && node server.mjs --port 9400

migrate: install
	$(PY) manage.py migrate --noinput

messages: install
	$(PY) manage.py compilemessages --ignore=.venv --ignore=var -v 0

worker: install ## A Celery worker with beat (needs REDIS_URL)
	$(VENV)/bin/celery -A lab worker --beat --loglevel=INFO

bench: install ## Throughput, latency, memory and contention (QUICK=1 for a short run)
	DJANGO_SETTINGS_MODULE=bench.settings $(PY) -m bench.run $(if $(QUICK),--quick,)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run

format: install
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean: ## Stop the embedded Postgres and remove local state (keeps .venv)
	-$(PY) -c "import pgserver, pathlib; s = pgserver.get_server(pathlib.Path('var/postgres'), cleanup_mode='stop')" 2>/dev/null
	rm -rf var staticfiles
