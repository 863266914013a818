#!/usr/bin/env bash
# Entrypoint of the offline postgres:15-alpine stand-in, a shorter version of the official
# image's docker-entrypoint.sh with the same behaviour:
#  - started as root: create and chown PGDATA, then run this script again as user postgres;
#  - on an empty PGDATA: initdb (superuser POSTGRES_USER with POSTGRES_PASSWORD), create
#    POSTGRES_DB, run /docker-entrypoint-initdb.d/*, allow password logins from any host
#    (POSTGRES_HOST_AUTH_METHOD, default scram-sha-256);
#  - finally exec postgres, so that it is PID 1 and receives the stop signal itself.
set -Eeo pipefail

if [ "${1:0:1}" = '-' ]; then
	set -- postgres "$@"
fi

: "${POSTGRES_USER:=postgres}"
: "${POSTGRES_DB:=$POSTGRES_USER}"
: "${POSTGRES_HOST_AUTH_METHOD:=scram-sha-256}"
export POSTGRES_USER POSTGRES_DB POSTGRES_HOST_AUTH_METHOD

if [ "$1" != 'postgres' ]; then
	exec "$@"
fi

if [ "$(id -u)" = '0' ]; then
	# PGDATA may be a subdirectory of a mounted volume (as the manifests set it): create it,
	# and give it to postgres.
	mkdir -p "$PGDATA"
	find "$PGDATA" \! -user postgres -exec chown postgres:postgres '{}' +
	chmod 00700 "$PGDATA"
	mkdir -p /var/run/postgresql
	chown postgres:postgres /var/run/postgresql
	chmod 03775 /var/run/postgresql
	# Drop to postgres with whichever tool the rootfs has; exec keeps one process.
	if command -v setpriv >/dev/null; then
		exec setpriv --reuid=postgres --regid=postgres --init-groups "$BASH_SOURCE" "$@"
	fi
	exec runuser -u postgres -- "$BASH_SOURCE" "$@"
fi

if [ ! -s "$PGDATA/PG_VERSION" ]; then
	if [ -z "$POSTGRES_PASSWORD" ] && [ "$POSTGRES_HOST_AUTH_METHOD" != 'trust' ]; then
		cat >&2 <<-'EOE'
			Error: Database is uninitialized and superuser password is not specified.
			       You must specify POSTGRES_PASSWORD to a non-empty value for the
			       superuser. For example, "-e POSTGRES_PASSWORD=password" on "docker run".
			       (Or POSTGRES_HOST_AUTH_METHOD=trust to allow all connections without a
			       password: not recommended.)
		EOE
		exit 1
	fi

	# initdb refuses a directory that is not empty (a volume's lost+found, say) and says
	# why: as with the official image, set PGDATA to a subdirectory of the mount.
	echo "initializing database in $PGDATA"
	# shellcheck disable=SC2086 # POSTGRES_INITDB_ARGS is a list of arguments
	# (Locale and encoding come from LANG=C.UTF-8.)
	initdb --username="$POSTGRES_USER" --pwfile=<(printf '%s\n' "$POSTGRES_PASSWORD") $POSTGRES_INITDB_ARGS

	# Connections over the network need the password (initdb lets local ones in).
	printf '\nhost all all all %s\n' "$POSTGRES_HOST_AUTH_METHOD" >> "$PGDATA/pg_hba.conf"

	# A temporary server on the Unix socket only, to create the database and run init scripts.
	pg_ctl -D "$PGDATA" -o "-c listen_addresses='' -p 5432" -w start
	export PGPASSWORD="$POSTGRES_PASSWORD"
	psql=(psql -v ON_ERROR_STOP=1 --username "$POSTGRES_USER" --no-password --no-psqlrc)
	if [ "$POSTGRES_DB" != 'postgres' ]; then
		"${psql[@]}" --dbname postgres --set db="$POSTGRES_DB" <<-'EOSQL'
			CREATE DATABASE :"db" ;
		EOSQL
	fi
	for f in /docker-entrypoint-initdb.d/*; do
		case "$f" in
			*.sh)
				if [ -x "$f" ]; then
					echo "running $f"; "$f"
				else
					echo "sourcing $f"; . "$f"
				fi
				;;
			*.sql) echo "running $f"; "${psql[@]}" --dbname "$POSTGRES_DB" -f "$f" ;;
			*.sql.gz) echo "running $f"; gunzip -c "$f" | "${psql[@]}" --dbname "$POSTGRES_DB" ;;
			*) if [ -e "$f" ]; then echo "ignoring $f"; fi ;;
		esac
	done
	unset PGPASSWORD
	pg_ctl -D "$PGDATA" -m fast -w stop
	echo "PostgreSQL init process complete; ready for start up."
else
	echo "PostgreSQL database directory appears to contain a database; skipping initialization"
fi

exec "$@"
