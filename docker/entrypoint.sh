#!/bin/sh
# One Second Me node in a container (also run directly by test/sim/compose-topology.test.ts).
# First start: create the home, announce NODE_TOPICS, remember NODE_SHARE (shareable) and NODE_PRIVATE (private).
# The bootstrap node writes its address to BOOTSTRAP_FILE; the others wait for it and join from it.
set -eu

SECONDME="${SECONDME_BIN:-node /app/bin/secondme.js}"
HOME_DIR="${SECONDME_HOME:-/data/home}"
LISTEN_PORT="${LISTEN_PORT:-4001}"
LISTEN="${LISTEN:-/ip4/0.0.0.0/tcp/${LISTEN_PORT}}"
BOOTSTRAP_FILE="${BOOTSTRAP_FILE:-/shared/bootstrap.addr}"
ROLE="${ROLE:-peer}"
# The HTTP doors (/api, /v1, /mcp, A2A) stay on the container's loopback unless HTTP_LISTEN says otherwise.
HTTP_LISTEN="${HTTP_LISTEN:-127.0.0.1:7777}"
: "${SECONDME_PASSPHRASE:?set SECONDME_PASSPHRASE}"
export SECONDME_PASSPHRASE

if [ ! -f "$HOME_DIR/keys/keyring.json" ]; then
  $SECONDME --home "$HOME_DIR" init --name "${NODE_NAME:-secondme}" >/dev/null
  # Public profile: topics and bio go into config.json's net section; recall stays lexical-only (no model download).
  HOME_DIR="$HOME_DIR" NODE_TOPICS="${NODE_TOPICS:-}" NODE_NAME="${NODE_NAME:-secondme}" node -e '
    const fs = require("fs"); const path = process.env.HOME_DIR + "/config.json";
    const config = JSON.parse(fs.readFileSync(path, "utf8"));
    const topics = process.env.NODE_TOPICS.split(",").map(t => t.trim()).filter(Boolean);
    config.net = { ...config.net, topics, bio: process.env.NODE_NAME + " talks about " + (topics.join(", ") || "anything") };
    config.memory = { ...config.memory, embedder: "none" };
    fs.writeFileSync(path, JSON.stringify(config, null, 2) + "\n", { mode: 0o600 });'
  if [ -n "${NODE_SHARE:-}" ]; then $SECONDME --home "$HOME_DIR" remember "$NODE_SHARE" --visibility shareable >/dev/null; fi
  if [ -n "${NODE_PRIVATE:-}" ]; then $SECONDME --home "$HOME_DIR" remember "$NODE_PRIVATE" --visibility private >/dev/null; fi
fi

if [ "$ROLE" = "bootstrap" ]; then
  PEER_ID=$($SECONDME --home "$HOME_DIR" --json status | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>process.stdout.write(JSON.parse(s).peerId))')
  ADVERTISE_HOST="${ADVERTISE_HOST:-$(hostname -i | cut -d" " -f1)}"
  mkdir -p "$(dirname "$BOOTSTRAP_FILE")"
  printf '/ip4/%s/tcp/%s/p2p/%s\n' "$ADVERTISE_HOST" "$LISTEN_PORT" "$PEER_ID" > "$BOOTSTRAP_FILE.tmp"
  mv "$BOOTSTRAP_FILE.tmp" "$BOOTSTRAP_FILE"
  exec $SECONDME --home "$HOME_DIR" start --listen "$LISTEN" --http "$HTTP_LISTEN"
fi

tries=0
while [ ! -s "$BOOTSTRAP_FILE" ]; do
  tries=$((tries + 1))
  if [ "$tries" -gt 120 ]; then echo "no bootstrap address in $BOOTSTRAP_FILE" >&2; exit 69; fi
  sleep 0.5
done
exec $SECONDME --home "$HOME_DIR" start --listen "$LISTEN" --http "$HTTP_LISTEN" --bootstrap "$(cat "$BOOTSTRAP_FILE")"
