/*
 * Pattern matching as OpenSSH's match.c defines it: "*" matches any
 * run of characters, "?" exactly one, everything else itself.  A
 * pattern list is comma-separated and an entry starting with "!" is a
 * negation that, when it matches, overrides every positive match.
 *
 * pattern_match() backtracks only to the last "*", so it runs in
 * O(len(s) * len(pattern)) where OpenSSH's recursive version can take
 * exponential time on patterns such as "*a*a*a*a*b".
 */
#include <ctype.h>
#include <string.h>

#include "match.h"

/* Longest list entry considered; OpenSSH fails longer ones likewise. */
#define MATCH_SUBLEN	1024

/* Return 1 if s matches the whole of pattern, else 0. */
int
pattern_match(const char *s, const char *pattern)
{
	const char *star = NULL, *resume = NULL;

	for (;;) {
		if (*pattern == '*') {
			/* Remember where to retry with one more character. */
			star = ++pattern;
			resume = s;
			continue;
		}
		/* Stars were consumed above: the rest must be empty. */
		if (*s == '\0')
			return *pattern == '\0';
		if (*pattern != '\0' && (*pattern == '?' || *pattern == *s)) {
			s++;
			pattern++;
			continue;
		}
		if (star == NULL)
			return 0;
		pattern = star;
		s = ++resume;
	}
}

/*
 * Match s against a comma-separated list of patterns, each possibly
 * negated with "!".  Returns 1 for a positive match, -1 if a negated
 * pattern matched, 0 otherwise.  With dolower the patterns (not s)
 * are lowercased first.
 */
int
pattern_match_list(const char *s, const char *pattern, int dolower)
{
	char sub[MATCH_SUBLEN];
	size_t i, subi, len = strlen(pattern);
	int negated, positive = 0;

	for (i = 0; i < len;) {
		negated = pattern[i] == '!';
		if (negated)
			i++;
		for (subi = 0; i < len && subi < sizeof(sub) - 1 &&
		    pattern[i] != ','; subi++, i++) {
			sub[subi] = dolower ?
			    tolower((unsigned char)pattern[i]) : pattern[i];
		}
		if (subi >= sizeof(sub) - 1)
			return 0;
		if (i < len && pattern[i] == ',')
			i++;
		sub[subi] = '\0';
		if (pattern_match(s, sub)) {
			if (negated)
				return -1;
			positive = 1;
		}
	}
	return positive;
}

/* Host names compare case-insensitively: both sides lowercased. */
int
pattern_match_hostname(const char *host, const char *pattern)
{
	char buf[MATCH_SUBLEN], *p;
	int r;

	if (strlen(host) >= sizeof(buf))
		return 0;
	for (p = buf; *host != '\0'; host++)
		*p++ = tolower((unsigned char)*host);
	*p = '\0';
	r = pattern_match_list(buf, pattern, 1);
	return r;
}

/*
 * A Host line: n space-separated patterns (no comma lists), matched
 * case-sensitively against the name the user gave.  Returns 1 if one
 * matched, -1 if a negated one matched (vetoing the line, whatever
 * follows), else 0; *which is the index of the first positive match
 * or of the veto.
 */
int
pattern_match_host_line(const char *host, char *const *pats, int n, int *which)
{
	const char *p;
	int i, negated, positive = 0;

	*which = 0;
	for (i = 0; i < n; i++) {
		p = pats[i];
		if ((negated = *p == '!'))
			p++;
		if (!pattern_match(host, p))
			continue;
		if (negated) {
			*which = i;
			return -1;
		}
		if (!positive)
			*which = i;
		positive = 1;
	}
	return positive;
}
