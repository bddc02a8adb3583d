#!/usr/bin/env bash
# The newcomer's one command: installs what is missing, makes sure PostgreSQL and Redis run, migrates, loads
# demo data and starts the four apps in the background (logs and pids in .run/). Safe to run again: it restarts
# the apps. With a working Docker engine it runs docker compose instead.
set -euo pipefail
cd "$(dirname "$0")/.."

if command -v docker >/dev/null 2>&1 && docker info >/dev/null 2>&1; then
  echo "setup: Docker engine found, using docker compose"
  docker compose up -d --build
  docker compose exec -T seller node dist/apps/cli/src/main.js seed:demo
  exit 0
fi

. scripts/node.sh
bash scripts/services.sh
npm install --no-audit --no-fund
if [ ! -f .env ]; then
  echo "JWT_SECRET=$(node -e 'process.stdout.write(require("crypto").randomBytes(32).toString("hex"))')" > .env
  echo "setup: wrote .env with a fresh JWT_SECRET"
fi
set -a; . ./.env; set +a
npm run migrate
npm run --silent cli -- seed:demo

mkdir -p .run
for app in seller buyer matcher agency; do
  if [ -f ".run/$app.pid" ] && kill -0 "$(cat ".run/$app.pid")" 2>/dev/null; then kill "$(cat ".run/$app.pid")" && sleep 1; fi
  nohup node "dist/apps/$app/src/main.js" > ".run/$app.log" 2>&1 &
  echo $! > ".run/$app.pid"
done

declare -A ports=([seller]=${SELLER_PORT:-3001} [buyer]=${BUYER_PORT:-3002} [matcher]=${MATCHER_PORT:-3003} [agency]=${AGENCY_PORT:-3004})
for app in seller buyer matcher agency; do
  for _ in $(seq 1 60); do
    if curl -fsS "http://127.0.0.1:${ports[$app]}/health" >/dev/null 2>&1; then break; fi
    sleep 0.5
  done
  if curl -fsS "http://127.0.0.1:${ports[$app]}/health" >/dev/null 2>&1; then
    echo "setup: $app is up on http://127.0.0.1:${ports[$app]} (docs /docs, health /health, metrics /metrics; log .run/$app.log)"
  else
    echo "setup: $app did not become healthy; see .run/$app.log" >&2
    tail -n 20 ".run/$app.log" >&2
    exit 1
  fi
done
echo "setup: done. Stop the apps with: kill \$(cat .run/*.pid)"
