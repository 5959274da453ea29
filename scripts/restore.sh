#!/usr/bin/env bash
# make restore BACKUP=var/backups/<timestamp>: put a copy made by scripts/backup.sh back.
#
# Checks every file against the manifest first (size and SHA-256), then restores db.dump into
# the database of DATABASE_URL with pg_restore in one transaction, and unpacks media.tar.gz into
# MEDIA_ROOT (defaults to var/media). The database and the documents folder must be empty:
# a non-empty one is refused, unless FORCE=1 — then the objects the copy holds are dropped and
# recreated from the copy, and the current documents folder is moved aside (kept, renamed
# "<MEDIA_ROOT>.before-restore-<timestamp>"), never merged.
# Messages are in English: the audience is the operator, not the platform's users.
set -euo pipefail

SCRIPT=restore
# shellcheck source=scripts/common.sh
. "$(dirname "$0")/common.sh"

BACKUP=${BACKUP:-}
FORCE=${FORCE:-0}
pg_restore=${PG_BIN:+$PG_BIN/}pg_restore
psql=${PG_BIN:+$PG_BIN/}psql

[ -n "$BACKUP" ] || fail "say which copy to restore: make restore BACKUP=var/backups/<timestamp>"
[ -d "$BACKUP" ] || fail "$BACKUP is not a directory."
require_postgres_url "DATABASE_URL is not set: it names the PostgreSQL database to restore into." "restored"
for tool in "$pg_restore" "$psql"; do
  command -v "$tool" >/dev/null || fail "$tool not found (install postgresql-client, or set PG_BIN)."
done

# 1. The copy is whole: each file has the size and the SHA-256 its manifest recorded.
manifest="$BACKUP/manifest.json"
[ -f "$manifest" ] || fail "$manifest is missing: $BACKUP is not a complete backup."
for name in db.dump media.tar.gz; do
  [ -f "$BACKUP/$name" ] || fail "$BACKUP/$name is missing."
  line=$(grep -o "\"$name\": {[^}]*}" "$manifest") || fail "$manifest does not describe $name."
  want_size=$(printf '%s' "$line" | sed -E 's/.*"bytes": ([0-9]+).*/\1/')
  want_sum=$(printf '%s' "$line" | sed -E 's/.*"sha256": "([0-9a-f]+)".*/\1/')
  [ "$(stat -c %s "$BACKUP/$name")" = "$want_size" ] || fail "$BACKUP/$name does not have the size recorded in the manifest."
  [ "$(sha256sum "$BACKUP/$name" | cut -d' ' -f1)" = "$want_sum" ] || fail "$BACKUP/$name does not match its SHA-256 in the manifest."
done

# 2. The targets are empty, or FORCE=1 says to replace them.
tables=$("$psql" "$DATABASE_URL" -XAtq -v ON_ERROR_STOP=1 -c \
  "SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
   WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'
     AND c.relkind IN ('r', 'p', 'v', 'm', 'S')") || fail "cannot connect to the target database (see above)."
media_used=0
if [ -d "$MEDIA_ROOT" ] && [ -n "$(ls -A "$MEDIA_ROOT")" ]; then
  media_used=1
fi
if [ "$FORCE" != 1 ]; then
  [ "$tables" = 0 ] || fail "the target database is not empty ($tables tables, views or sequences); restore into an empty database, or run again with FORCE=1 to replace its content."
  [ "$media_used" = 0 ] || fail "MEDIA_ROOT $MEDIA_ROOT is not empty; point MEDIA_ROOT at an empty folder, or run again with FORCE=1 (the current folder is kept aside)."
fi

# 3. The database, all or nothing.
clean=()
[ "$tables" = 0 ] || clean=(--clean --if-exists)
"$pg_restore" --no-owner --no-privileges --exit-on-error --single-transaction "${clean[@]}" \
  --dbname="$DATABASE_URL" "$BACKUP/db.dump" || fail "pg_restore failed (see above); the database was left as it was."

# 4. The documents: unpacked beside the target, then swapped in.
parent=$(dirname "$MEDIA_ROOT")
mkdir -p "$parent"
incoming=$(mktemp -d "$parent/.restore-media.XXXXXX")
trap 'rm -rf "$incoming"' EXIT
tar -C "$incoming" -xzf "$BACKUP/media.tar.gz"
if [ -d "$MEDIA_ROOT" ]; then
  if [ "$media_used" = 1 ]; then
    aside="$MEDIA_ROOT.before-restore-$(date -u +%Y%m%dT%H%M%SZ)"
    mv "$MEDIA_ROOT" "$aside"
    echo "restore: the previous documents folder is kept in $aside."
  else
    rmdir "$MEDIA_ROOT"
  fi
fi
chmod 755 "$incoming"
mv "$incoming" "$MEDIA_ROOT"
trap - EXIT

echo "Restored $BACKUP into the database $(printf '%s' "$DATABASE_URL" | sed -E 's#^[a-z]+://([^@/]*@)?##; s#\?.*$##') and $MEDIA_ROOT."
