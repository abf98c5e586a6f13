#!/usr/bin/env bash
# Set up a fresh Debian machine for the project: system packages, then the package itself.
set -euo pipefail
cd "$(dirname "$0")"
SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
# chromium: browser tests and screenshots; fonts-noto-cjk: Japanese in plots and pages;
# default-jre-headless: HermiT (owlready2's reasoner); virtuoso-opensource: the second SPARQL
# server the tests push to (they start their own virtuoso-t on loopback ports).
if ! command -v chromium >/dev/null || ! fc-list | grep -qi "Noto Sans CJK" || ! command -v java >/dev/null || ! command -v virtuoso-t >/dev/null; then
  $SUDO apt-get update -q
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium fonts-noto-cjk default-jre-headless virtuoso-opensource
fi
# npm: the browser libraries the pages inline (sigma.js, graphology, Vega, world-atlas, Oxigraph's
# WebAssembly build, YASGUI), exactly as package-lock.json pins them; install scripts are not run.
if ! command -v npm >/dev/null; then
  $SUDO apt-get update -q
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y -q nodejs npm
fi
npm ci --ignore-scripts --no-audit --no-fund --loglevel=error
python3 -m pip install -q -e ".[dev,notebook]"
# Byte-compiled, as pip compiles a package it installs (an editable install is left to its first
# run, or to every run where PYTHONDONTWRITEBYTECODE is set: 0.1 s of each `kg build`).
python3 -m compileall -q src >/dev/null
