#!/bin/sh
# Restores one archive of the `backups` volume into the app's database,
# replacing its collections (--drop). Stop the app first:
#   docker compose stop app
#   docker compose run --rm backup /scripts/restore.sh ligne-directe-2026-12-01T03-00-00Z.archive.gz
#   docker compose start app && docker compose exec app node tools/run-built.mjs reindex
set -eu
if [ $# -ne 1 ]; then
  echo "usage: restore.sh ARCHIVE (one of:)" >&2
  ls -1 /backup >&2
  exit 2
fi
archive="/backup/$(basename "$1")"
mongorestore --host mongo --username "$MONGO_ROOT_USERNAME" --password "$MONGO_ROOT_PASSWORD" \
  --authenticationDatabase admin --nsInclude 'ligne-directe.*' --drop --gzip --archive="$archive"
echo "restore: $archive restored"
