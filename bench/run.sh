#!/usr/bin/env bash
# Compiles the benchmarks and runs one: bash bench/run.sh listing-import [options passed to the benchmark]
set -euo pipefail
cd "$(dirname "$0")/.."
name=${1:?usage: bench/run.sh <name>   (one of: $(ls bench/*.bench.ts | xargs -n1 basename | sed 's/.bench.ts//' | tr '\n' ' '))}
npx tsc -p tsconfig.bench.json && npx tsc-alias -p tsconfig.bench.json
node "dist-bench/bench/$name.bench.js" "${@:2}"
