#!/usr/bin/env bash
# setup_notebooks.sh installs what the GoNB notebooks and the figure exports of
# innlib/plots need, and only what is missing, so a second run is a no-op:
#
#   - Debian packages (apt): Jupyter classic notebook + nbconvert + nbclient +
#     ipykernel, headless Chromium (PNG export, browser tests) and a font.
#   - Go tools at pinned versions in $(go env GOPATH)/bin: goimports, gopls and
#     GoNB, then `gonb --install` registers the Jupyter kernel.
#   - plotly.js (npm plotly.js-dist-min, the version go-plotly v0.7.0's schema
#     was generated from) into the git-ignored third_party/ folder, so figures
#     render without internet.
#
# Usage: scripts/setup_notebooks.sh [--no-apt] [--no-go] [--no-npm]
# Pinned versions can be overridden through the environment (PLOTLYJS_VERSION,
# GONB_VERSION, GOIMPORTS_VERSION, GOPLS_VERSION), but the defaults are the
# ones known to resolve on the project's machines (see shared notes).
set -euo pipefail

PLOTLYJS_VERSION="${PLOTLYJS_VERSION:-2.34.0}"
GONB_VERSION="${GONB_VERSION:-v0.11.1}"
GOIMPORTS_VERSION="${GOIMPORTS_VERSION:-v0.52.0}"
GOPLS_VERSION="${GOPLS_VERSION:-v0.23.0}"
APT_PACKAGES=(jupyter-notebook jupyter-nbconvert jupyter-client python3-nbclient
  python3-ipykernel chromium fonts-dejavu-core)

do_apt=1 do_go=1 do_npm=1
for arg in "$@"; do
  case "$arg" in
    --no-apt) do_apt=0 ;;
    --no-go) do_go=0 ;;
    --no-npm) do_npm=0 ;;
    -h|--help) sed -n '2,18p' "$0"; exit 0 ;;
    *) echo "setup_notebooks.sh: unknown option $arg" >&2; exit 2 ;;
  esac
done

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
start=$(date +%s)
installed=() found=()
log() { printf '[setup] %s\n' "$*"; }
die() { printf '[setup] error: %s\n' "$*" >&2; exit 1; }

# ---------------------------------------------------------------- apt
setup_apt() {
  local missing=() p
  for p in "${APT_PACKAGES[@]}"; do
    if dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed'; then
      found+=("apt:$p")
    else
      missing+=("$p")
    fi
  done
  if ((${#missing[@]} == 0)); then
    log "apt packages present: ${APT_PACKAGES[*]}"
    return
  fi
  if ! command -v apt-get >/dev/null; then
    log "warning: no apt-get; install these by hand: ${missing[*]}"
    return
  fi
  local sudo=()
  if [[ "$(id -u)" != 0 ]]; then
    command -v sudo >/dev/null || die "not root and no sudo: cannot install ${missing[*]}"
    sudo=(sudo)
  fi
  log "apt-get install ${missing[*]}"
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -qq --no-install-recommends "${missing[@]}"
  for p in "${missing[@]}"; do installed+=("apt:$p"); done
}

# ---------------------------------------------------------------- Go tools
# go_tool_version prints the main-module version stamped in a Go binary
# (empty when the binary is missing), so reruns can skip go install.
go_tool_version() {
  [[ -x "$1" ]] || return 0
  go version -m "$1" 2>/dev/null | awk -v m="$2" '$1=="mod" && $2==m {print $3}'
}

setup_go() {
  command -v go >/dev/null || die "go is not on PATH"
  local gobin
  gobin="$(go env GOBIN)"
  [[ -n "$gobin" ]] || gobin="$(go env GOPATH)/bin"
  export PATH="$gobin:$PATH"

  if [[ "$(go_tool_version "$gobin/goimports" golang.org/x/tools)" == "$GOIMPORTS_VERSION" ]]; then
    found+=("goimports@$GOIMPORTS_VERSION")
  else
    log "go install golang.org/x/tools/cmd/goimports@$GOIMPORTS_VERSION"
    GOBIN="$gobin" go install "golang.org/x/tools/cmd/goimports@$GOIMPORTS_VERSION"
    installed+=("goimports@$GOIMPORTS_VERSION")
  fi

  if [[ "$(go_tool_version "$gobin/gopls" golang.org/x/tools/gopls)" == "$GOPLS_VERSION" ]]; then
    found+=("gopls@$GOPLS_VERSION")
  else
    log "go install golang.org/x/tools/gopls@$GOPLS_VERSION"
    GOBIN="$gobin" go install "golang.org/x/tools/gopls@$GOPLS_VERSION"
    installed+=("gopls@$GOPLS_VERSION")
  fi

  if [[ "$(go_tool_version "$gobin/gonb" github.com/janpfeifer/gonb)" == "$GONB_VERSION" ]]; then
    found+=("gonb@$GONB_VERSION")
  else
    # `go install ...@v0.11.1` fails here (the proxy refuses gonb's version
    # list), so pin it as a tool of a throwaway module and install from there.
    log "installing gonb $GONB_VERSION through a temporary tools module"
    local tmp
    tmp="$(mktemp -d)"
    (
      cd "$tmp"
      go mod init innlib.local/gonbtools >/dev/null 2>&1
      go get -tool "github.com/janpfeifer/gonb@$GONB_VERSION"
      GOBIN="$gobin" go install github.com/janpfeifer/gonb
    ) || { rm -rf "$tmp"; die "gonb install failed"; }
    rm -rf "$tmp"
    installed+=("gonb@$GONB_VERSION")
  fi

  # Register the kernel unless kernel.json already points at this binary.
  local datadir="${JUPYTER_DATA_DIR:-$HOME/.local/share/jupyter}"
  local spec="$datadir/kernels/gonb/kernel.json"
  if [[ -f "$spec" ]] && grep -qF "\"$gobin/gonb\"" "$spec"; then
    found+=("gonb kernel ($spec)")
  else
    log "gonb --install"
    "$gobin/gonb" --install >/dev/null 2>&1 || "$gobin/gonb" --install
    installed+=("gonb kernel ($spec)")
  fi
  case ":${ORIG_PATH}:" in
    *":$gobin:"*) ;;
    *) log "note: add $gobin to PATH before starting Jupyter (GoNB runs goimports and gopls from PATH)" ;;
  esac
}

# ---------------------------------------------------------------- plotly.js
setup_npm() {
  local dest="$ROOT/third_party/plotly/plotly.min.js"
  local npmdir="$ROOT/third_party/plotly-npm"
  local pkg="$npmdir/node_modules/plotly.js-dist-min"
  if [[ -s "$dest" ]] && head -c 300 "$dest" | grep -q "v$PLOTLYJS_VERSION"; then
    found+=("plotly.js $PLOTLYJS_VERSION ($dest)")
    return
  fi
  if ! grep -qs "\"version\": \"$PLOTLYJS_VERSION\"" "$pkg/package.json"; then
    command -v npm >/dev/null || die "npm is not installed (apt-get install npm) and $dest is missing"
    log "npm install plotly.js-dist-min@$PLOTLYJS_VERSION"
    mkdir -p "$npmdir"
    npm install --prefix "$npmdir" --no-audit --no-fund --silent \
      "plotly.js-dist-min@$PLOTLYJS_VERSION"
  fi
  mkdir -p "$(dirname "$dest")"
  # Copy then rename so a reader never sees a half-written file.
  cp "$pkg/plotly.min.js" "$dest.tmp.$$"
  mv -f "$dest.tmp.$$" "$dest"
  cp -f "$pkg/LICENSE" "$(dirname "$dest")/LICENSE" 2>/dev/null || true
  installed+=("plotly.js $PLOTLYJS_VERSION ($dest)")
}

ORIG_PATH="$PATH"
((do_apt)) && setup_apt
((do_go)) && setup_go
((do_npm)) && setup_npm

elapsed=$(($(date +%s) - start))
if ((${#installed[@]})); then
  log "installed: ${installed[*]}"
else
  log "nothing to install"
fi
((${#found[@]})) && log "already present: ${found[*]}"
log "chromium: $(command -v chromium || echo 'not found')"
log "done in ${elapsed}s"
