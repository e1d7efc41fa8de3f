# The README's two commands are `make run` and `make test`; each installs what it needs.
PY := .venv/bin/python
DATA_DIR ?=

.PHONY: setup run test lint bench bundle screenshot openapi messages clean

setup:
	@bash scripts/bootstrap.sh

run: setup
	$(PY) -m kiosk demo $(if $(DATA_DIR),--data-dir $(DATA_DIR)) >/dev/null
	$(PY) -m kiosk $(if $(DATA_DIR),--data-dir $(DATA_DIR))

test: setup
	.venv/bin/ruff check kiosk kiosk_server scanner sync ui tests bench scripts
	.venv/bin/ruff format --check kiosk kiosk_server scanner sync ui tests bench scripts
	.venv/bin/lint-imports
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest

lint: setup
	.venv/bin/ruff check kiosk kiosk_server scanner sync ui tests bench scripts
	.venv/bin/ruff format --check kiosk kiosk_server scanner sync ui tests bench scripts
	.venv/bin/lint-imports

bench: setup
	$(PY) bench/bench_lookup.py
	$(PY) bench/bench_vietnamese_decoding.py
	$(PY) bench/bench_scanner.py
	$(PY) bench/pixel_damage.py
	$(PY) bench/frames_hold.py
	$(PY) bench/bench_sync.py
	$(PY) bench/bench_trace.py
	$(PY) bench/bench_office.py
	$(PY) bench/bench_hcert.py
	$(PY) bench/bench_at_rest.py

bundle: setup
	bash scripts/smoke-bundle.sh

screenshot: setup
	QT_QPA_PLATFORM=offscreen $(PY) scripts/screenshot.py docs
	QT_QPA_PLATFORM=offscreen $(PY) scripts/screenshot.py docs --screen 1920x1080
	QT_QPA_PLATFORM=offscreen $(PY) scripts/screenshot_setup.py docs
	QT_QPA_PLATFORM=offscreen $(PY) scripts/screenshot_setup.py docs --screen 1920x1080
	$(PY) scripts/screenshot_office.py docs

openapi: setup
	$(PY) scripts/openapi.py docs/openapi.json

# Re-extracts the English sentences and merges them into the Vietnamese catalogues (new ones come
# out empty, and tests/kiosk/test_catalogue.py fails until a translator fills them in).
messages: setup
	$(PY) scripts/update_catalogues.py

clean:
	rm -rf .venv .venv.stamp build dist
