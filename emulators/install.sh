#!/usr/bin/env bash
# Installs the emulators the tests start (Azurite, a Cosmos SQL-API server, the Bicep parser) from npm
# into emulators/node_modules, once per package-lock.json. Run by the build (generate-test-resources).
set -euo pipefail
cd "$(dirname "$0")"
if ! command -v npm >/dev/null 2>&1; then
  echo "emulators: npm not found; the Azure tests will be skipped (install Node.js 20+ and npm)" >&2
  exit 0
fi
if [ -f node_modules/.installed ] && [ node_modules/.installed -nt package-lock.json ]; then
  exit 0
fi
echo "emulators: npm ci (Azurite, @vercel/cosmosdb-server, tree-sitter-bicep)"
npm ci --no-audit --no-fund --loglevel=error
touch node_modules/.installed
