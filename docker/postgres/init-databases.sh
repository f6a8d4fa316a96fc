#!/bin/sh
# Creates the services' role and their four databases. The official Postgres image runs this once,
# when its data volume is empty (`docker compose down -v` starts over). Each subgraph then migrates
# its own database when it starts. The names are databaseName() in shared/src/config.ts.
set -eu

# psql puts the password in as a quoted literal (:'app_password'), so any character in it is safe.
psql --set ON_ERROR_STOP=1 --username "$POSTGRES_USER" --dbname postgres \
  --set app_password="$COALITION_DB_PASSWORD" <<'SQL'
CREATE ROLE coalition LOGIN PASSWORD :'app_password';
CREATE DATABASE coalition_members OWNER coalition;
CREATE DATABASE coalition_partners OWNER coalition;
CREATE DATABASE coalition_catalog OWNER coalition;
CREATE DATABASE coalition_ledger OWNER coalition;
SQL
