#!/bin/sh
# tests/templates/check.sh: render every sample page and validate it.
#
#   sh tests/templates/check.sh [path/to/cadence]
#
# For each tests/templates/NAME.json and tests/templates/variants/NAME--V.json
# it renders templates/NAME.mustache with `cadence render`, then checks:
#   - tidy (HTML5) reports no errors and no warnings, except about valid
#     attributes tidy 5.6 does not know (aria-current, inputmode, minlength);
#   - no inline style attribute or script (CSP; a script file of static/
#     is fine), no unescaped sample markup;
#   - every POST form carries the csrf_token hidden field.
# It also checks that no template uses raw {{{x}}} / {{&x}} output.
# Exits 1 on the first kind of failure found, after reporting all pages.
set -u
CADENCE=${1:-build/cadence}
OUT=${TMPDIR:-/tmp}/cadence-templates.$$
mkdir -p "$OUT"
trap 'rm -rf "$OUT"' EXIT
fail=0

if grep -n '{{{\|{{&' templates/*.mustache; then
	echo "FAIL: raw output tag in a template"; fail=1
fi

for json in tests/templates/*.json tests/templates/variants/*.json; do
	[ -f "$json" ] || continue
	base=$(basename "$json" .json)
	name=${base%%--*}
	html="$OUT/$base.html"
	if ! "$CADENCE" render "templates/$name.mustache" "$json" \
	    --partials templates > "$html"; then
		echo "FAIL $base: render"; fail=1; continue
	fi
	msgs=$(tidy -errors -quiet "$html" 2>&1 | grep -v \
	    'proprietary attribute "\(aria-current\|inputmode\|minlength\)"')
	if [ -n "$msgs" ]; then
		echo "FAIL $base: tidy"; echo "$msgs"; fail=1
	fi
	# Scripts only as files of our own (CSP script-src 'self'), empty:
	# <script src="/static/NAME.js" defer></script>, nothing inline.
	if grep -n -i ' style=\|<b>' "$html" ||
	    sed 's|<script src="/static/[a-z_]*\.js" defer></script>||g' "$html" |
	    grep -n -i '<script'; then
		echo "FAIL $base: inline style/script or unescaped markup"; fail=1
	fi
	# each POST form must contain the token before it closes
	if ! awk '/<form[^>]*method="post"/ { open = 1; tok = 0 }
	    open && /name="csrf_token"/ { tok = 1 }
	    open && /<\/form>/ { if (!tok) bad++; open = 0 }
	    END { exit bad ? 1 : 0 }' "$html"; then
		echo "FAIL $base: POST form without csrf_token"; fail=1
	fi
	[ $fail -eq 0 ] && echo "ok   $base"
done
exit $fail
