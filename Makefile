# The README's two commands are `make run` and `make test`; each installs what it needs.
PY := .venv/bin/python
DATA_DIR ?=

.PHONY: setup run test lint bench screenshot clean

setup:
	@bash scripts/bootstrap.sh

run: setup
	$(PY) -m kiosk demo $(if $(DATA_DIR),--data-dir $(DATA_DIR)) >/dev/null
	$(PY) -m kiosk $(if $(DATA_DIR),--data-dir $(DATA_DIR))

test: setup
	.venv/bin/ruff check kiosk scanner sync ui tests bench
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest

lint: setup
	.venv/bin/ruff check kiosk scanner sync ui tests bench

bench: setup
	$(PY) bench/bench_lookup.py
	$(PY) bench/bench_vietnamese_decoding.py

screenshot: setup
	QT_QPA_PLATFORM=offscreen $(PY) scripts/screenshot.py docs

clean:
	rm -rf .venv .venv.stamp build dist
