#!/usr/bin/env bash
# Packages the Azure Functions custom-handler app: functions/ (host.json, one folder per function) plus
# the native executable as hybridlake-runner, into target/function-app and target/function-app.zip
# (deploy with `az functionapp deployment source config-zip` or `azd deploy`). Builds the executable
# first if it is missing (./mvnw -Pnative -Dquarkus.native.enabled=true package: needs GraalVM/Mandrel, or a container runtime with
# -Dquarkus.native.container-build=true).
set -euo pipefail
cd "$(dirname "$0")/.."
runner=$(ls target/*-runner 2>/dev/null | head -1 || true)
if [ -z "$runner" ]; then
  ./mvnw -B -Pnative -Dquarkus.native.enabled=true package -DskipTests "$@"
  runner=$(ls target/*-runner | head -1)
fi
out=target/function-app
rm -rf "$out" target/function-app.zip
mkdir -p "$out"
cp -r functions/. "$out/"
rm -f "$out/README.md"
cp "$runner" "$out/hybridlake-runner"
chmod +x "$out/hybridlake-runner"
(cd "$out" && zip -qr ../function-app.zip .)
echo "function app: $out ($(du -sh "$out" | cut -f1)); zip: target/function-app.zip"
