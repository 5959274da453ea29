# Sourced by scripts/backup.sh and scripts/restore.sh (after they set SCRIPT to their name):
# the project directory, fail(), the defaults they share, and the PostgreSQL URL check.
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PROJECT_DIR=$(pwd)

fail() {
  echo "$SCRIPT: $*" >&2
  exit 1
}

DATABASE_URL=${DATABASE_URL:-}
MEDIA_ROOT=${MEDIA_ROOT:-$PROJECT_DIR/var/media}
PG_BIN=${PG_BIN:-}

# require_postgres_url "<what to say when DATABASE_URL is empty>" "<verb: backed up, restored>"
require_postgres_url() {
  case "$DATABASE_URL" in
    postgres://* | postgresql://*) ;;
    "") fail "$1" ;;
    *) fail "DATABASE_URL is not a PostgreSQL URL (${DATABASE_URL%%:*}://…): only PostgreSQL is $2 by this command." ;;
  esac
}
