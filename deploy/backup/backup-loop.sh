#!/bin/sh
# The `backup` service of docker-compose.yml: a mongodump archive of the app's
# database now, then every BACKUP_INTERVAL_HOURS, into /backup (the `backups`
# volume); archives older than BACKUP_KEEP_DAYS are deleted. A failed dump is
# reported and retried at the next interval; it never removes older archives.
interval_hours="${BACKUP_INTERVAL_HOURS:-24}"
keep_days="${BACKUP_KEEP_DAYS:-14}"
while :; do
  file="/backup/ligne-directe-$(date -u +%Y-%m-%dT%H-%M-%SZ).archive.gz"
  if mongodump --host mongo --username "$MONGO_ROOT_USERNAME" --password "$MONGO_ROOT_PASSWORD" \
       --authenticationDatabase admin --db ligne-directe --archive="$file.partial" --gzip --quiet; then
    mv "$file.partial" "$file"
    echo "backup: wrote $file ($(du -h "$file" | cut -f1))"
    find /backup -name 'ligne-directe-*.archive.gz' -mtime "+$keep_days" -print -delete
  else
    rm -f "$file.partial"
    echo "backup: mongodump failed; next attempt in $interval_hours h" >&2
  fi
  sleep "$((interval_hours * 3600))"
done
