#!/bin/sh
# Formats every Swift file under Sources and Tests with the committed .swift-format configuration.
#
#   scripts/format.sh           format in place
#   scripts/format.sh --check   change nothing; print each finding and fail if there is any (what CI runs)
set -eu
cd "$(dirname "$0")/.."
case "${1:-}" in
    "") exec swift-format format --in-place --recursive --parallel Sources Tests ;;
    --check) exec swift-format lint --strict --recursive --parallel Sources Tests ;;
    *) echo "usage: scripts/format.sh [--check]" >&2; exit 2 ;;
esac
