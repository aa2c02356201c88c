/*
 * Checks for the C tests: each check prints one line with its name, the expected and the actual
 * result, and counts; the program ends with the "N passed, M failed" line and exits 0 only when
 * nothing failed.
 */
#ifndef CHECK_H
#define CHECK_H

#include <errno.h>
#include <stdio.h>
#include <string.h>

static int passed, failed; /* one copy per test program */

static inline const char *errname(int e)
{
	switch (e) {
	case 0: return "0";
	case EPERM: return "EPERM";
	case ENOENT: return "ENOENT";
	case EBADF: return "EBADF";
	case ENOMEM: return "ENOMEM";
	case EFAULT: return "EFAULT";
	case EBUSY: return "EBUSY";
	case EINVAL: return "EINVAL";
	case ENXIO: return "ENXIO";
	case EPIPE: return "EPIPE";
	case EAGAIN: return "EAGAIN";
	case EINPROGRESS: return "EINPROGRESS";
	case EALREADY: return "EALREADY";
	case ENOTSOCK: return "ENOTSOCK";
	case EDESTADDRREQ: return "EDESTADDRREQ";
	case EMSGSIZE: return "EMSGSIZE";
	case EPROTOTYPE: return "EPROTOTYPE";
	case ENOPROTOOPT: return "ENOPROTOOPT";
	case ENAMETOOLONG: return "ENAMETOOLONG";
	case EPROTONOSUPPORT: return "EPROTONOSUPPORT";
	case ESOCKTNOSUPPORT: return "ESOCKTNOSUPPORT";
	case EOPNOTSUPP: return "EOPNOTSUPP";
	case EAFNOSUPPORT: return "EAFNOSUPPORT";
	case EADDRINUSE: return "EADDRINUSE";
	case EADDRNOTAVAIL: return "EADDRNOTAVAIL";
	case ENETUNREACH: return "ENETUNREACH";
	case ECONNABORTED: return "ECONNABORTED";
	case ECONNRESET: return "ECONNRESET";
	case ENOBUFS: return "ENOBUFS";
	case EISCONN: return "EISCONN";
	case ENOTCONN: return "ENOTCONN";
	case ESHUTDOWN: return "ESHUTDOWN";
	case ETIMEDOUT: return "ETIMEDOUT";
	case ECONNREFUSED: return "ECONNREFUSED";
	case EHOSTUNREACH: return "EHOSTUNREACH";
	default: {
		static char other[32];
		snprintf(other, sizeof(other), "errno %d", e);
		return other;
	}
	}
}

static inline void report(const char *name, int ok, const char *want, const char *got)
{
	if (ok)
		passed++;
	else
		failed++;
	printf("%s %-58s expected %-18s got %s\n", ok ? "ok  " : "FAIL", name, want, got);
	fflush(stdout);
}

/* An int result: want_err == 0 means success is expected and errno is not looked at. */
static inline void check_int(const char *name, long got, int got_err, long want, int want_err)
{
	char w[64], g[64];
	int ok;

	if (want_err != 0) {
		snprintf(w, sizeof(w), "%ld/%s", want, errname(want_err));
		ok = got == want && got_err == want_err;
	} else {
		snprintf(w, sizeof(w), "%ld", want);
		ok = got == want;
	}
	if (got < 0 || (want_err != 0 && got == want))
		snprintf(g, sizeof(g), "%ld/%s", got, errname(got_err));
	else
		snprintf(g, sizeof(g), "%ld", got);
	report(name, ok, w, g);
}

/* A pointer result that must be NULL with errno want_err. */
static inline void check_null(const char *name, const void *got, int got_err, int want_err)
{
	char w[64], g[64];

	snprintf(w, sizeof(w), "NULL/%s", errname(want_err));
	if (got == NULL)
		snprintf(g, sizeof(g), "NULL/%s", errname(got_err));
	else
		snprintf(g, sizeof(g), "non-NULL");
	report(name, got == NULL && got_err == want_err, w, g);
}

static inline void check_true(const char *name, int cond, const char *want, const char *got)
{
	report(name, cond, want, got);
}

#define CHECK(name, call, want, want_err) do { \
	long r_; int e_; \
	errno = 0; r_ = (long)(call); e_ = errno; \
	check_int(name, r_, e_, want, want_err); \
} while (0)

#define CHECK_NULL(name, call, want_err) do { \
	const void *p_; int e_; \
	errno = 0; p_ = (const void *)(call); e_ = errno; \
	if (p_ != NULL) usrsctp_close((struct socket *)p_); \
	check_null(name, p_, e_, want_err); \
} while (0)

/* Unsigned values that must be equal. */
static inline void check_u(const char *name, unsigned long got, unsigned long want)
{
	char w[32], g[32];

	snprintf(w, sizeof(w), "%lu", want);
	snprintf(g, sizeof(g), "%lu", got);
	report(name, got == want, w, g);
}

static inline int check_summary(void)
{
	printf("%d passed, %d failed\n", passed, failed);
	return failed != 0;
}

#endif
