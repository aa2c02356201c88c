/*
 * Idle cost of the threaded stack: one established association over AF_CONN in one process
 * (usrsctp_init(0, conn_output, NULL)), nothing sent. Counts the voluntary context switches of
 * every thread of the process (/proc/self/task/<tid>/status; each is a sleep followed by a
 * wake-up) and the CPU time over the given number of seconds. The link's two inbox threads only
 * wake up for packets (heartbeats), the main thread once for its sleep.
 *
 *   bench_idle <seconds>
 *
 * Results: idle_wakeups (per second) and idle_cpu_pct (percent of one core).
 */
#define _GNU_SOURCE
#include "common.h"

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct conn_link link;
	struct socket *sockets[2];
	long switches0, switches1;
	double seconds, t0, t1, cpu0, cpu1;

	if (argc != 2 || (seconds = strtod(argv[1], NULL)) <= 0) {
		fprintf(stderr, "usage: %s <seconds>\n", argv[0]);
		return 1;
	}
	alarm((unsigned)(seconds + 60));
	usrsctp_init(0, link_conn_output, NULL);
	link_start(&link);
	conn_pair(&link, 0, &sockets[0], &sockets[1]);
	sleep_s(1);

	cpu0 = cpu_s();
	switches0 = wakeups();
	t0 = now_s();
	sleep_s(seconds);
	t1 = now_s();
	cpu1 = cpu_s();
	switches1 = wakeups();
	result("idle_wakeups", (double)(switches1 - switches0) / (t1 - t0), "1/s");
	result("idle_cpu_pct", (cpu1 - cpu0) / (t1 - t0) * 100, "%");
	fprintf(stderr, "bench: %d threads\n", thread_count());

	if (close_and_finish(sockets, 2, 5) != 0) {
		fprintf(stderr, "bench: teardown: usrsctp_finish did not succeed\n");
		_exit(4);
	}
	link_stop(&link);
	return 0;
}
