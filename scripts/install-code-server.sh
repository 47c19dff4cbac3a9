#!/usr/bin/env bash
# Installs code-server (VS Code 1.100 for the browser) from the npm registry into a cache directory, without
# GitHub downloads, for the editor tests. Usage: scripts/install-code-server.sh DIR. Idempotent: does nothing when
# DIR already holds a working install. Needs (Debian): g++ make python3 libkrb5-dev ripgrep.
set -euo pipefail
VERSION="${CODE_SERVER_VERSION:-4.100.3}" # the newest release whose engines.node is 20
DIR="${1:?usage: install-code-server.sh DIR}"
ENTRY="$DIR/node_modules/code-server/out/node/entry.js"
export XDG_DATA_HOME="$DIR/.xdg-data" XDG_CONFIG_HOME="$DIR/.xdg-config" XDG_CACHE_HOME="$DIR/.xdg-cache"
if [ -f "$DIR/.installed-$VERSION" ] && node "$ENTRY" --version --config /dev/null >/dev/null 2>&1; then
  exit 0
fi
rm -rf "$DIR" && mkdir -p "$DIR" && cd "$DIR"
# code-server's own postinstall is not run: as root it insists on --unsafe-perm, and it lets @vscode/ripgrep fetch
# rg from GitHub. Its steps are done below instead. argon2 builds with node-gyp against the local headers.
cat > package.json <<JSON
{ "name": "failpath-code-server", "version": "0.0.0", "private": true,
  "allowScripts": { "argon2": true, "code-server": false } }
JSON
export npm_config_nodedir="${npm_config_nodedir:-/usr}"
npm install --no-audit --no-fund "code-server@$VERSION" >/dev/null
cd node_modules/code-server/lib/vscode
npm install --omit=dev --ignore-scripts --no-audit --no-fund >/dev/null
mkdir -p node_modules/@vscode/ripgrep/bin
ln -sf "$(command -v rg)" node_modules/@vscode/ripgrep/bin/rg # Debian's ripgrep instead of the download
npm_config_yes=true npm rebuild --dangerously-allow-all-scripts >/dev/null # node-pty, spdlog, kerberos, …
rm -rf node_modules.asar && ln -s node_modules node_modules.asar
(cd bin/remote-cli && ln -sf code-linux.sh code-server)
(cd bin/helpers && ln -sf browser-linux.sh browser.sh)
(cd extensions && npm_config_yes=true npm install --omit=dev --no-audit --no-fund --dangerously-allow-all-scripts >/dev/null)
node "$ENTRY" --version --config /dev/null
touch "$DIR/.installed-$VERSION"
