#!/bin/sh
# Build llama.cpp's own `llama-finetune` tool from the llama.cpp source node-llama-cpp ships
# (node_modules/node-llama-cpp/llama/gitRelease.bundle). Offline; CPU only (finetuning needs F32
# models and no extra backends). Takes ~6–7 min on 2 cores, so it runs at low priority and only
# builds the one target. The binary is cached in .cache/llama-tools/ (git-ignored); re-running is a no-op.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
CACHE="$ROOT/.cache/llama-tools"
BUNDLE="$ROOT/node_modules/node-llama-cpp/llama/gitRelease.bundle"
BIN="$CACHE/bin/llama-finetune"
JOBS=${JOBS:-2}
if [ -x "$BIN" ] && [ "${FORCE:-0}" != "1" ]; then echo "already built: $BIN"; exit 0; fi
[ -f "$BUNDLE" ] || { echo "missing $BUNDLE (is node-llama-cpp installed?)" >&2; exit 1; }
command -v cmake >/dev/null || { echo "cmake is required" >&2; exit 1; }
mkdir -p "$CACHE/bin"
if [ ! -d "$CACHE/src/.git" ]; then
  rm -rf "$CACHE/src"
  git -c advice.detachedHead=false clone --quiet "$BUNDLE" "$CACHE/src"
fi
nice -n 19 cmake -S "$CACHE/src" -B "$CACHE/build" -DCMAKE_BUILD_TYPE=Release -DBUILD_SHARED_LIBS=OFF \
  -DLLAMA_OPENSSL=OFF -DLLAMA_BUILD_TESTS=OFF -DLLAMA_BUILD_SERVER=OFF -DLLAMA_BUILD_TOOLS=OFF \
  -DLLAMA_BUILD_APP=OFF -DLLAMA_BUILD_EXAMPLES=ON -DGGML_NATIVE=ON >"$CACHE/configure.log" 2>&1 \
  || { echo "cmake configure failed, see $CACHE/configure.log" >&2; exit 1; }
nice -n 19 cmake --build "$CACHE/build" --target llama-finetune -j "$JOBS" >"$CACHE/build.log" 2>&1 \
  || { echo "build failed, see $CACHE/build.log" >&2; exit 1; }
cp "$CACHE/build/bin/llama-finetune" "$BIN"
echo "built $BIN"
