/*
 * A tiny unit-test harness: each check prints "ok" or "not ok" with
 * its name, as tests/run counts them, and main returns non-zero when
 * any check failed.
 */
#ifndef XSSH_UNIT_H
#define XSSH_UNIT_H

#include <stdio.h>
#include <string.h>

static int unit_failed;
static int unit_passed;

#define CHECK(name, cond) do {						\
	if (cond) {							\
		unit_passed++;						\
		printf("ok %s\n", (name));				\
	} else {							\
		unit_failed++;						\
		printf("not ok %s (%s:%d: %s)\n", (name), __FILE__,	\
		    __LINE__, #cond);					\
	}								\
} while (0)

#define CHECK_STR(name, got, want) do {					\
	const char *g_ = (got), *w_ = (want);				\
	int same_ = (g_ == NULL && w_ == NULL) ||			\
	    (g_ != NULL && w_ != NULL && strcmp(g_, w_) == 0);		\
	if (same_) {							\
		unit_passed++;						\
		printf("ok %s\n", (name));				\
	} else {							\
		unit_failed++;						\
		printf("not ok %s (%s:%d: got \"%s\", want \"%s\")\n",	\
		    (name), __FILE__, __LINE__, g_ ? g_ : "(null)",	\
		    w_ ? w_ : "(null)");				\
	}								\
} while (0)

#define CHECK_INT(name, got, want) do {					\
	long long g_ = (got), w_ = (want);				\
	if (g_ == w_) {							\
		unit_passed++;						\
		printf("ok %s\n", (name));				\
	} else {							\
		unit_failed++;						\
		printf("not ok %s (%s:%d: got %lld, want %lld)\n",	\
		    (name), __FILE__, __LINE__, g_, w_);		\
	}								\
} while (0)

#define UNIT_END() return (unit_failed != 0)

#endif /* XSSH_UNIT_H */
