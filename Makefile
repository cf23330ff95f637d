# Thin aliases for dev.py (which needs only python3).
.PHONY: audit test bench
audit:
	python3 dev.py audit
test:
	python3 dev.py test
bench:
	python3 dev.py bench
