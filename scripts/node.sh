#!/usr/bin/env bash
# Makes sure a Node.js that runs Nest 12 (>= 20.19, for require() of ES modules) is on PATH. On a fresh Debian
# machine without one, installs Debian's nodejs and npm, then Node 24 LTS from the npm registry (package node@24)
# into .tools/. Source it: `. scripts/node.sh`.
node_ok() {
  command -v node >/dev/null 2>&1 && node -e 'const [a,b]=process.versions.node.split(".").map(Number);process.exit(a>20||(a===20&&b>=19)?0:1)'
}
if ! node_ok; then
  root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
  if [ ! -x "$root/.tools/node_modules/.bin/node" ]; then
    if ! command -v npm >/dev/null 2>&1; then
      SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
      $SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq nodejs npm >/dev/null
    fi
    echo "node: installing Node 24 LTS into .tools/"
    mkdir -p "$root/.tools" && (cd "$root/.tools" && npm install --no-audit --no-fund --silent node@24 >/dev/null)
  fi
  export PATH="$root/.tools/node_modules/.bin:$PATH"
fi
