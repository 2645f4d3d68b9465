#!/bin/bash
# The manual: every man/*.[1-8] is clean for mandoc's linter (as
# "make lint-man"), and man/xssh.1 documents, with an ".It Fl X" entry,
# every option letter xssh accepts: the entries of the table in
# src/args.c with a handler ({ 'X', has_arg, handler, ... } with a handler
# other than NULL).  An option the table refuses (handler NULL) must not
# have such an entry, so the manual never offers what xssh refuses.
. "$(dirname "$0")/../lib.sh"

MAN=$TOP/man/xssh.1
ARGS_C=$TOP/src/args.c

# ------------------------------------------------------------ mandoc -Tlint
if ! command -v mandoc >/dev/null; then
	skip mandoc-lint "mandoc not installed (apt-get install mandoc)"
else
	n=0
	for f in "$TOP"/man/*.[1-8]; do
		[ -e "$f" ] || continue
		n=$((n + 1))
		name=mandoc-lint-$(basename "$f")
		out=$(mandoc -Tlint -W warning "$f" 2>&1)
		if [ -z "$out" ]; then
			ok "$name"
		else
			fail "$name" "mandoc -Tlint -W warning prints $(grep -c . <<<"$out") lines"
			printf '%s\n' "$out" | head -20 | sed 's/^/#   /'
		fi
	done
	[ "$n" -gt 0 ] || fail mandoc-lint "no manual page in man/"
fi

# ------------------------------------------------------------ options
if [ ! -f "$MAN" ]; then
	fail manual-exists "no $MAN"
	exit 1
fi

# "X handler" for each table line of src/args.c.
table=$(sed -nE "s/^[[:space:]]*\{[[:space:]]*'(.)',[[:space:]]*[01],[[:space:]]*([A-Za-z_][A-Za-z_0-9]*),.*/\1 \2/p" "$ARGS_C")
accepted=$(awk '$2 != "NULL" { print $1 }' <<<"$table")
refused=$(awk '$2 == "NULL" { print $1 }' <<<"$table")
echo "# src/args.c accepts: $(echo $accepted | tr -d ' '); refuses: $(echo $refused | tr -d ' ')"

# ssh 9.2 has 40-odd options and xssh accepts more than 20 of them: a much
# shorter table means the parse above no longer fits src/args.c.
if [ "$(wc -w <<<"$accepted")" -lt 20 ] || [ "$(wc -w <<<"$refused")" -lt 5 ]; then
	fail args-table-parsed "could not read the option table of src/args.c"
	exit 1
fi
ok args-table-parsed

documented() { grep -Eq "^\\.It Fl $1( |\$)" "$MAN"; }

for x in $accepted; do
	if documented "$x"; then
		ok "manual-documents-option-$x"
	else
		fail "manual-documents-option-$x" "src/args.c accepts -$x but man/xssh.1 has no '.It Fl $x' entry"
	fi
done

for x in $refused; do
	if documented "$x"; then
		fail "manual-no-entry-for-refused-$x" "man/xssh.1 has an '.It Fl $x' entry but src/args.c refuses -$x"
	else
		ok "manual-no-entry-for-refused-$x"
	fi
done
