/*
 * What the example programs share: reading numbers and addresses from the command line, a
 * time limit, a clock, and a bounded wait for usrsctp_finish.
 *
 * A program defines `program` (its name, for messages) and `usage()` before including this.
 */
#ifndef PROGRAMS_COMMON_H
#define PROGRAMS_COMMON_H

#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <usrsctp.h>

static void usage(void);

/* The number in text, from min to max; anything else ends the program with its usage. */
static inline long number(const char *text, long min, long max)
{
	char *end;
	long value;

	errno = 0;
	value = strtol(text, &end, 10);
	if (errno != 0 || end == text || *end != '\0' || value < min || value > max) {
		fprintf(stderr, "%s: %s is not a number from %ld to %ld\n", program, text, min, max);
		usage();
	}
	return value;
}

/* SIGALRM (see alarm()): ends the program with status 2. Only async-signal-safe calls here. */
static inline void on_alarm(int signal_number)
{
	static const char text[] = ": time limit reached\n";

	(void)signal_number;
	if (write(STDERR_FILENO, program, strlen(program)) < 0 ||
	    write(STDERR_FILENO, text, sizeof(text) - 1) < 0) {
		/* nothing more to do */
	}
	_exit(2);
}

/* Fills *address from text (IPv4 or IPv6) and port; returns its length, 0 when text is not an
 * address. */
static inline socklen_t make_address(const char *text, uint16_t port, struct sockaddr_storage *address)
{
	struct sockaddr_in *sin = (struct sockaddr_in *)address;
	struct sockaddr_in6 *sin6 = (struct sockaddr_in6 *)address;

	memset(address, 0, sizeof(*address));
	if (inet_pton(AF_INET, text, &sin->sin_addr) == 1) {
		sin->sin_family = AF_INET;
		sin->sin_port = htons(port);
		return sizeof(*sin);
	}
	if (inet_pton(AF_INET6, text, &sin6->sin6_addr) == 1) {
		sin6->sin6_family = AF_INET6;
		sin6->sin6_port = htons(port);
		return sizeof(*sin6);
	}
	return 0;
}

/* Seconds on a monotonic clock. */
static inline double now(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

/* usrsctp_finish until it succeeds (it refuses while associations still shut down), for at
 * most five seconds. */
static inline int finish(void)
{
	struct timespec pause = { 0, 10 * 1000 * 1000 };
	int i;

	for (i = 0; i < 500; i++) {
		if (usrsctp_finish() == 0)
			return 0;
		nanosleep(&pause, NULL);
	}
	fprintf(stderr, "%s: usrsctp_finish kept failing\n", program);
	return -1;
}

#endif
