#!/bin/bash
# man/xssh_config.5 in step with the keyword table (src/readconf-kw.c):
# every keyword is named in the page, each ignored keyword in the
# "accepted and ignored" section and each refused one in "refused".
. "$(dirname "$0")/../lib.sh"

TOP=$(cd "$(dirname "$0")/../.." && pwd)
PAGE=$TOP/man/xssh_config.5
TABLE=$TOP/src/readconf-kw.c

# "STATUS Name" for each table entry: K("Name", fn, field, STATUS, ...),
# { "Name", fn, NOFIELD, STATUS, ...}, KI("Name", ...), KO("Name", ...).
entries=$(tr '\n' ' ' <"$TABLE" | grep -oE '(K|KI|KO)?\(?\{? ?"[A-Za-z0-9]+",[[:space:]]*[a-z_]+,[[:space:]]*[^,]+,[[:space:]]*(ACT|IGNORE|REFUSE|OBSOLETE)|KI\("[A-Za-z0-9]+"|KO\("[A-Za-z0-9]+"' |
    sed -E 's/^KI\("([^"]+)"/IGNORE \1/; s/^KO\("([^"]+)"/OBSOLETE \1/; s/^[^"]*"([^"]+)".*(ACT|IGNORE|REFUSE|OBSOLETE)$/\2 \1/')
n=$(grep -c . <<<"$entries")
if [ "$n" -lt 120 ]; then
	fail table-read "read only $n keywords from $TABLE: has its format changed?"
	exit 0
fi
ok table-read

# The text of the page's sections, keyword names as words.
section() {
	mandoc -Tascii "$PAGE" | col -b | awk -v s="$1" '
	    /^[A-Z][A-Z ]+$/ { on = ($0 == s); next } on'
}
IGN=$(section "KEYWORDS ACCEPTED AND IGNORED")
REF=$(section "KEYWORDS REFUSED")
ALLTEXT=$(mandoc -Tascii "$PAGE" | col -b)

missing= wrong=
while read -r status name; do
	grep -qw -- "$name" <<<"$ALLTEXT" || missing="$missing $name"
	case $status in
	IGNORE) grep -qw -- "$name" <<<"$IGN" || wrong="$wrong $name(ignored)" ;;
	REFUSE) grep -qw -- "$name" <<<"$REF" || wrong="$wrong $name(refused)" ;;
	esac
done <<<"$entries"
expect_eq every-keyword-named "${missing# }" ""
expect_eq statuses-in-their-sections "${wrong# }" ""

out=$(mandoc -Tlint -W warning "$PAGE" 2>&1)
expect_eq lint-clean "$out" ""
grep -q 'Xr xssh_config 5' "$TOP/man/xssh.1"
check xssh.1-refers-to-xssh_config.5 test $? = 0
