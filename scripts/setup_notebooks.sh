#!/usr/bin/env bash
# setup_notebooks.sh installs what the GoNB notebooks, the figure exports of
# innlib/plots and the browser test of the notebooks need, and only what is
# missing, so a second run is a no-op:
#
#   - Debian packages (apt): python3-venv, headless Chromium (PNG export,
#     browser test), a font, RequireJS (a test of the figures' loader), and
#     Node.js + npm when node or npm is missing.
#   - JupyterLab from the Python package index, at the exact versions of
#     scripts/notebook-requirements.txt, into the git-ignored virtual
#     environment .venv/ (Debian 12 has no JupyterLab package).
#   - Go tools at pinned versions in $(go env GOPATH)/bin: goimports, gopls and
#     GoNB; `gonb --install` registers the kernel inside .venv/ (its
#     share/jupyter), where .venv's JupyterLab finds it.
#   - From npm, into the git-ignored third_party/: plotly.js (the version
#     go-plotly v0.7.0's schema was generated from), so figures render without
#     internet, and playwright-core, which drives Debian's Chromium in the
#     browser test (no browser download).
#
# It prints one line per step; the full output of the installers goes to
# out/setup_notebooks.log.
#
# Usage: scripts/setup_notebooks.sh [--no-apt] [--no-go] [--no-npm] [--no-venv]
# Pinned versions can be overridden through the environment (PLOTLYJS_VERSION,
# PLAYWRIGHT_VERSION, GONB_VERSION, GOIMPORTS_VERSION, GOPLS_VERSION), but the
# defaults are the ones known to resolve on the project's machines.
# INNLIB_VENV (default .venv) and INNLIB_PYTHON (default /usr/bin/python3, else
# python3) choose the virtual environment and the Python that creates it.
set -euo pipefail

PLOTLYJS_VERSION="${PLOTLYJS_VERSION:-2.34.0}"
PLAYWRIGHT_VERSION="${PLAYWRIGHT_VERSION:-1.65.1}"
GONB_VERSION="${GONB_VERSION:-v0.11.1}"
GOIMPORTS_VERSION="${GOIMPORTS_VERSION:-v0.52.0}"
GOPLS_VERSION="${GOPLS_VERSION:-v0.23.0}"
APT_PACKAGES=(python3-venv chromium fonts-dejavu-core libjs-requirejs)

do_apt=1 do_go=1 do_npm=1 do_venv=1
for arg in "$@"; do
  case "$arg" in
    --no-apt) do_apt=0 ;;
    --no-go) do_go=0 ;;
    --no-npm) do_npm=0 ;;
    --no-venv) do_venv=0 ;;
    -h|--help) sed -n '2,29p' "$0"; exit 0 ;;
    *) echo "setup_notebooks.sh: unknown option $arg" >&2; exit 2 ;;
  esac
done

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="${INNLIB_VENV:-$ROOT/.venv}"
REQUIREMENTS="$ROOT/scripts/notebook-requirements.txt"
LOG="$ROOT/out/setup_notebooks.log"
mkdir -p "$(dirname "$LOG")"
: > "$LOG"
start=$(date +%s)
changed=0
log() { printf '[setup] %s\n' "$*"; }
die() { printf '[setup] error: %s (full log: %s)\n' "$*" "$LOG" >&2; tail -20 "$LOG" >&2; exit 1; }
# quiet runs a command with its output in the log file only.
quiet() { printf '\n$ %s\n' "$*" >> "$LOG"; "$@" >> "$LOG" 2>&1; }

# ---------------------------------------------------------------- apt
setup_apt() {
  local pkgs=("${APT_PACKAGES[@]}") missing=() p
  command -v node >/dev/null || pkgs+=(nodejs)
  command -v npm >/dev/null || pkgs+=(npm)
  for p in "${pkgs[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  if ((${#missing[@]} == 0)); then
    log "apt: present (${pkgs[*]})"
    return
  fi
  command -v apt-get >/dev/null || { log "apt: no apt-get; install these by hand: ${missing[*]}"; return; }
  local sudo=()
  if [[ "$(id -u)" != 0 ]]; then
    command -v sudo >/dev/null || die "not root and no sudo: cannot install ${missing[*]}"
    sudo=(sudo)
  fi
  quiet "${sudo[@]}" apt-get update -q || die "apt-get update failed"
  quiet "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -q --no-install-recommends "${missing[@]}" || die "apt-get install ${missing[*]} failed"
  log "apt: installed ${missing[*]}"
  changed=1
}

# ---------------------------------------------------------------- JupyterLab
# The venv records the hash of the requirements it was built from, so a rerun
# with the same pins does nothing and changed pins reinstall.
setup_venv() {
  local python="${INNLIB_PYTHON:-}"
  if [[ -z "$python" ]]; then
    if [[ -x /usr/bin/python3 ]]; then python=/usr/bin/python3; else python="$(command -v python3 || true)"; fi
  fi
  [[ -n "$python" ]] || die "no python3 found (set INNLIB_PYTHON)"
  local want stamp="$VENV/.innlib-requirements.sha256"
  want="$(sha256sum "$REQUIREMENTS" | cut -d' ' -f1)"
  if [[ -x "$VENV/bin/jupyter-lab" && -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
    log "jupyterlab: present ($("$VENV/bin/jupyter-lab" --version) in ${VENV#$ROOT/})"
    return
  fi
  if [[ ! -x "$VENV/bin/python" ]]; then
    quiet "$python" -m venv "$VENV" || die "$python -m venv $VENV failed (Debian: apt-get install python3-venv)"
  fi
  quiet "$VENV/bin/python" -m pip install --disable-pip-version-check -r "$REQUIREMENTS" \
    || die "pip install -r ${REQUIREMENTS#$ROOT/} failed"
  echo "$want" > "$stamp"
  log "jupyterlab: installed $("$VENV/bin/jupyter-lab" --version) in ${VENV#$ROOT/}"
  changed=1
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
  local done=()

  if [[ "$(go_tool_version "$gobin/goimports" golang.org/x/tools)" != "$GOIMPORTS_VERSION" ]]; then
    GOBIN="$gobin" quiet go install "golang.org/x/tools/cmd/goimports@$GOIMPORTS_VERSION" || die "goimports install failed"
    done+=("goimports@$GOIMPORTS_VERSION")
  fi
  if [[ "$(go_tool_version "$gobin/gopls" golang.org/x/tools/gopls)" != "$GOPLS_VERSION" ]]; then
    GOBIN="$gobin" quiet go install "golang.org/x/tools/gopls@$GOPLS_VERSION" || die "gopls install failed"
    done+=("gopls@$GOPLS_VERSION")
  fi
  if [[ "$(go_tool_version "$gobin/gonb" github.com/janpfeifer/gonb)" != "$GONB_VERSION" ]]; then
    # `go install ...@v0.11.1` fails here (the proxy refuses gonb's version
    # list), so pin it as a tool of a throwaway module and install from there.
    local tmp
    tmp="$(mktemp -d)"
    if ! (cd "$tmp" && quiet go mod init innlib.local/gonbtools &&
      quiet go get -tool "github.com/janpfeifer/gonb@$GONB_VERSION" &&
      GOBIN="$gobin" quiet go install github.com/janpfeifer/gonb); then
      rm -rf "$tmp"
      die "gonb install failed"
    fi
    rm -rf "$tmp"
    done+=("gonb@$GONB_VERSION")
  fi
  if ((${#done[@]})); then
    log "go tools: installed ${done[*]} in $gobin"
    changed=1
  else
    log "go tools: present (goimports@$GOIMPORTS_VERSION gopls@$GOPLS_VERSION gonb@$GONB_VERSION)"
  fi

  # Register the kernel in the venv unless its kernel.json already points at
  # this binary. Without a venv (--no-venv), in the user's Jupyter data folder.
  local datadir="${JUPYTER_DATA_DIR:-$HOME/.local/share/jupyter}"
  [[ -z "${JUPYTER_DATA_DIR:-}" && "$(uname)" == Darwin ]] && datadir="$HOME/Library/Jupyter"
  ((do_venv)) && datadir="$VENV/share/jupyter"
  local spec="$datadir/kernels/gonb/kernel.json"
  if [[ -f "$spec" ]] && grep -qF "\"$gobin/gonb\"" "$spec"; then
    log "gonb kernel: present (${spec#$ROOT/})"
  else
    JUPYTER_DATA_DIR="$datadir" quiet "$gobin/gonb" --install || die "gonb --install failed"
    log "gonb kernel: registered (${spec#$ROOT/})"
    changed=1
  fi
  case ":${ORIG_PATH}:" in
    *":$gobin:"*) ;;
    *) log "note: put $gobin on PATH before starting Jupyter (GoNB runs go, goimports and gopls from PATH)" ;;
  esac
}

# ---------------------------------------------------------------- npm
# npm_package installs name@version under third_party/<dir> unless it is there.
npm_package() {
  local dir="$ROOT/third_party/$1" name="$2" version="$3"
  if grep -qs "\"version\": \"$version\"" "$dir/node_modules/$name/package.json"; then
    return 1
  fi
  command -v npm >/dev/null || die "npm is not installed (apt-get install npm)"
  mkdir -p "$dir"
  quiet npm install --prefix "$dir" --save-exact --no-audit --no-fund "$name@$version" \
    || die "npm install $name@$version failed"
}

setup_npm() {
  local dest="$ROOT/third_party/plotly/plotly.min.js"
  local pkg="$ROOT/third_party/plotly-npm/node_modules/plotly.js-dist-min"
  if [[ -s "$dest" ]] && head -c 300 "$dest" | grep -q "v$PLOTLYJS_VERSION"; then
    log "plotly.js: present ($PLOTLYJS_VERSION, third_party/plotly)"
  else
    npm_package plotly-npm plotly.js-dist-min "$PLOTLYJS_VERSION" || true
    mkdir -p "$(dirname "$dest")"
    # Copy then rename so a reader never sees a half-written file.
    cp "$pkg/plotly.min.js" "$dest.tmp.$$"
    mv -f "$dest.tmp.$$" "$dest"
    cp -f "$pkg/LICENSE" "$(dirname "$dest")/LICENSE" 2>/dev/null || true
    log "plotly.js: installed $PLOTLYJS_VERSION (third_party/plotly)"
    changed=1
  fi
  if npm_package playwright playwright-core "$PLAYWRIGHT_VERSION"; then
    log "playwright-core: installed $PLAYWRIGHT_VERSION (third_party/playwright)"
    changed=1
  else
    log "playwright-core: present ($PLAYWRIGHT_VERSION, third_party/playwright)"
  fi
}

ORIG_PATH="$PATH"
((do_apt)) && setup_apt
((do_venv)) && setup_venv
((do_go)) && setup_go
((do_npm)) && setup_npm

if ((changed)); then what="done"; else what="nothing to install"; fi
log "$what in $(($(date +%s) - start))s; chromium: $(command -v chromium || echo 'not found'); log: ${LOG#$ROOT/}"
