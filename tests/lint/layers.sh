#!/usr/bin/env bash
# Layer checks (issue 14, item 1), run with the unit tests:
#   1. db/ is the only code that knows the schema: no file of app/ outside
#      app/db/ names PGresult, db_exec, db_run or DB_STMT (it calls a db/
#      module instead, which returns typed structs);
#   2. app/'s directories include each other without a cycle.
# What is not converted yet is allowed by name in the lists below.  An
# entry that is no longer needed fails the check too, so the lists only
# shrink: delete the line when its file is converted.
#   bash tests/lint/layers.sh          (from anywhere; exit 1 on a finding)
set -uo pipefail
cd "$(dirname "$0")/../.."

# Pending: files that still run SQL themselves (none now: new SQL goes to
# a db/ module).  One path per line; "#" starts a comment.
SQL_PENDING='
'

# Pending: include edges (from-dir to-dir) allowed to close a cycle
# (none now: Strava registers its work with the job workers, so only
# strava -> jobs is left).
INCLUDE_PENDING='
'

SQL_WORDS='PGresult|db_exec|db_run|DB_STMT'
status=0

entries() {	# the non-comment words of a list
	printf '%s\n' "$1" | sed 's/#.*//' | awk 'NF { print $1, $2 }' |
	    sed 's/ *$//'
}

fail() {
	echo "layers: $*" >&2
	status=1
}

# ---- 1. SQL only in app/db/ -------------------------------------------------
allowed_sql=$(entries "$SQL_PENDING" | sort -u)
using_sql=$(find app -path app/db -prune -o \( -name '*.c' -o -name '*.h' \) \
    -print | sort | xargs grep -lwE "$SQL_WORDS")
for f in $(comm -23 <(printf '%s\n' "$using_sql") \
    <(printf '%s\n' "$allowed_sql")); do
	fail "$f uses the database directly: move its SQL to a db/ module"
	grep -nwE "$SQL_WORDS" "$f" | head -n 3 | sed 's/^/    /' >&2
done
for f in $(comm -13 <(printf '%s\n' "$using_sql") \
    <(printf '%s\n' "$allowed_sql")); do
	fail "$f no longer uses the database directly:" \
	    "delete it from SQL_PENDING in $0"
done

# ---- 2. no include cycle between app/'s directories -------------------------
# Edges "from to" for every #include "dir/file.h" across directories; an
# include without a directory names app/'s own top level (app/commands.h)
# unless the file sits beside the includer.
edges() {
	local f dir inc to
	for f in $(find app \( -name '*.c' -o -name '*.h' \) | sort); do
		dir=$(dirname "$f")
		dir=${dir#app}; dir=${dir#/}; dir=${dir%%/*}; dir=${dir:-app}
		for inc in $(sed -n 's/^#[[:space:]]*include[[:space:]]*"\([^"]*\)".*/\1/p' "$f"); do
			case $inc in
			*/*)	to=${inc%%/*} ;;
			*)	[ -e "$(dirname "$f")/$inc" ] && continue
				to=app ;;
			esac
			[ "$to" != "$dir" ] && echo "$dir $to"
		done
	done | sort -u
}

all_edges=$(edges)
allowed_edges=$(entries "$INCLUDE_PENDING" | sort -u)
for e in $(comm -13 <(printf '%s\n' "$all_edges") \
    <(printf '%s\n' "$allowed_edges") | tr ' ' ':'); do
	fail "no directory include ${e/:/ -> } any more:" \
	    "delete it from INCLUDE_PENDING in $0"
done
checked=$(comm -23 <(printf '%s\n' "$all_edges") \
    <(printf '%s\n' "$allowed_edges"))
if ! loop=$(printf '%s\n' "$checked" | tsort 2>&1 >/dev/null); then
	fail "app/ directories include each other in a cycle:"
	printf '%s\n' "$loop" | sed 's/^/    /' >&2
	echo "    directory includes (from to): $(printf '%s\n' "$checked" |
	    tr '\n' ';')" >&2
fi

[ $status -eq 0 ] && echo "layers: ok (SQL only in app/db/ but" \
    "$(printf '%s\n' "$allowed_sql" | grep -c .) pending files;" \
    "no include cycle but $(printf '%s\n' "$allowed_edges" | grep -c .)" \
    "pending edge)"
exit $status
