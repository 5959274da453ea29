#!/usr/bin/env bash
# make backup: one consistent copy of the PostgreSQL database and of the documents folder.
#
# Writes BACKUP_ROOT/<UTC timestamp>/ (BACKUP_ROOT defaults to var/backups) with
#   db.dump        pg_dump --format=custom of DATABASE_URL (restored by scripts/restore.sh)
#   media.tar.gz   the whole MEDIA_ROOT (defaults to var/media): the stored documents
#   manifest.json  when, what application version and commit, each file's size and SHA-256
# The copy is written under a hidden ".partial" name and renamed at the end, so a directory
# without that prefix is always complete. SQLite is refused: backups are for production
# (PostgreSQL); a developer's var/db.sqlite3 is copied with `sqlite3 var/db.sqlite3 .backup`.
# Messages are in English: the audience is the operator, not the platform's users.
set -euo pipefail

SCRIPT=backup
# shellcheck source=scripts/common.sh
. "$(dirname "$0")/common.sh"

BACKUP_ROOT=${BACKUP_ROOT:-$PROJECT_DIR/var/backups}
pg_dump=${PG_BIN:+$PG_BIN/}pg_dump

require_postgres_url "DATABASE_URL is not set (the SQLite default is not backed up by this command; use sqlite3 .backup)." "backed up"
command -v "$pg_dump" >/dev/null || fail "pg_dump not found (install postgresql-client, or set PG_BIN)."

stamp=$(date -u +%Y%m%dT%H%M%SZ)
target="$BACKUP_ROOT/$stamp"
partial="$BACKUP_ROOT/.$stamp.partial"
[ -e "$target" ] && fail "$target already exists; try again in a second."
mkdir -p "$partial"
trap 'rm -rf "$partial"' EXIT

# One snapshot of the database: pg_dump reads it in a single repeatable-read transaction.
"$pg_dump" --format=custom --no-owner --no-privileges --dbname="$DATABASE_URL" --file="$partial/db.dump" \
  || fail "pg_dump failed (see above); nothing was written."

if [ -d "$MEDIA_ROOT" ]; then
  tar -C "$MEDIA_ROOT" -czf "$partial/media.tar.gz" .
else
  echo "backup: MEDIA_ROOT $MEDIA_ROOT does not exist; the documents archive is empty." >&2
  empty=$(mktemp -d)
  tar -C "$empty" -czf "$partial/media.tar.gz" .
  rmdir "$empty"
fi

# The application's version and the commit it runs, read without calling git.
version=$(sed -n 's/^version = "\(.*\)"/\1/p' pyproject.toml | head -n 1)
commit=""
if [ -f .git/HEAD ]; then
  head=$(cat .git/HEAD)
  case "$head" in
    "ref: "*)
      ref=${head#ref: }
      if [ -f ".git/$ref" ]; then
        commit=$(cat ".git/$ref")
      elif [ -f .git/packed-refs ]; then
        commit=$(awk -v ref="$ref" '$2 == ref { print $1 }' .git/packed-refs)
      fi
      ;;
    *) commit=$head ;;
  esac
fi

file_entry() {
  local name=$1
  local size sum
  size=$(stat -c %s "$partial/$name")
  sum=$(sha256sum "$partial/$name" | cut -d' ' -f1)
  printf '    "%s": {"bytes": %s, "sha256": "%s"}' "$name" "$size" "$sum"
}
database_host=$(printf '%s' "$DATABASE_URL" | sed -E 's#^[a-z]+://([^@/]*@)?##; s#\?.*$##')
{
  printf '{\n'
  printf '  "created_at": "%s",\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  printf '  "application": {"name": "partenariats", "version": "%s", "commit": "%s"},\n' "$version" "$commit"
  printf '  "database": "%s",\n' "$database_host"
  printf '  "pg_dump": "%s",\n' "$("$pg_dump" --version)"
  printf '  "files": {\n'
  file_entry db.dump
  printf ',\n'
  file_entry media.tar.gz
  printf '\n  }\n}\n'
} >"$partial/manifest.json"

mv "$partial" "$target"
trap - EXIT
echo "Backup written to $target ($(du -sh "$target" | cut -f1))."
