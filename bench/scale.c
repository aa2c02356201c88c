/*
 * Association scale over AF_CONN in one process (threaded stack): one one-to-many listener
 * (SOCK_SEQPACKET) on the server end of the link and N one-to-one client sockets, each bound to
 * an ephemeral port and connected with a blocking usrsctp_connect, one after the other. Both
 * endpoints of every association live in this process, so the memory per association counts
 * both sides (client socket and association, server association).
 *
 *   bench_scale <associations> <idle seconds>
 *
 * Results (n = number of associations):
 *   scale_<n>_setup_us        wall time per association setup (connect returns)
 *   scale_<n>_rss_KiB         VmRSS growth per association
 *   scale_<n>_heap_B          malloc heap growth per association (mallinfo2)
 *   scale_<n>_idle_cpu_pct    CPU used while all of them sit idle (percent of one core)
 *   scale_<n>_idle_wakeups    voluntary context switches per second of all threads while idle
 *
 * The program exits without closing the associations (teardown is not measured).
 */
#define _GNU_SOURCE
#include "common.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct conn_link link;
	struct sockaddr_conn sconn;
	struct socket *listener, **clients;
	long rss0, rss1, switches0, switches1;
	size_t heap0, heap1;
	double idle, t0, t1, cpu0, cpu1;
	char name[64];
	int n, i;

	if (argc != 3) {
		fprintf(stderr, "usage: %s <associations> <idle seconds>\n", argv[0]);
		return 1;
	}
	n = atoi(argv[1]);
	idle = strtod(argv[2], NULL);
	if (n <= 0 || idle <= 0) {
		fprintf(stderr, "bench: bad number of associations or idle time\n");
		return 1;
	}
	alarm((unsigned)(idle + 240));
	clients = calloc((size_t)n, sizeof(*clients));
	if (clients == NULL)
		die("calloc");

	usrsctp_init(0, link_conn_output, NULL);
	link_start(&link);
	listener = usrsctp_socket(AF_CONN, SOCK_SEQPACKET, IPPROTO_SCTP, NULL, NULL, 0, NULL);
	if (listener == NULL)
		die("usrsctp_socket(AF_CONN, SOCK_SEQPACKET)");
	conn_address(&sconn, link.server, BENCH_SCTP_PORT);
	if (usrsctp_bind(listener, (struct sockaddr *)&sconn, sizeof(sconn)) < 0)
		die("usrsctp_bind (listener)");
	if (usrsctp_listen(listener, 1024) < 0)
		die("usrsctp_listen");
	sleep_s(0.2);
	rss0 = rss_kib();
	heap0 = heap_bytes();

	t0 = now_s();
	for (i = 0; i < n; i++) {
		clients[i] = usrsctp_socket(AF_CONN, SOCK_STREAM, IPPROTO_SCTP, NULL, NULL, 0, NULL);
		if (clients[i] == NULL)
			die("usrsctp_socket(AF_CONN, SOCK_STREAM)");
		conn_address(&sconn, link.client, 0);
		if (usrsctp_bind(clients[i], (struct sockaddr *)&sconn, sizeof(sconn)) < 0)
			die("usrsctp_bind (client)");
		conn_address(&sconn, link.client, BENCH_SCTP_PORT);
		if (usrsctp_connect(clients[i], (struct sockaddr *)&sconn, sizeof(sconn)) < 0) {
			fprintf(stderr, "bench: association %d: ", i);
			die("usrsctp_connect");
		}
	}
	t1 = now_s();
	snprintf(name, sizeof(name), "scale_%d_setup_us", n);
	result(name, (t1 - t0) / n * 1e6, "us");

	/* Let the last handshakes' delayed SACKs and the like settle. */
	sleep_s(0.5);
	rss1 = rss_kib();
	heap1 = heap_bytes();
	snprintf(name, sizeof(name), "scale_%d_rss_KiB", n);
	result(name, (double)(rss1 - rss0) / n, "KiB");
	snprintf(name, sizeof(name), "scale_%d_heap_B", n);
	result(name, ((double)heap1 - (double)heap0) / n, "B");

	cpu0 = cpu_s();
	switches0 = wakeups();
	t0 = now_s();
	sleep_s(idle);
	t1 = now_s();
	cpu1 = cpu_s();
	switches1 = wakeups();
	snprintf(name, sizeof(name), "scale_%d_idle_cpu_pct", n);
	result(name, (cpu1 - cpu0) / (t1 - t0) * 100, "%");
	snprintf(name, sizeof(name), "scale_%d_idle_wakeups", n);
	result(name, (double)(switches1 - switches0) / (t1 - t0), "1/s");
	fprintf(stderr, "bench: %d associations, %d threads, link drops %lu\n", n, thread_count(),
		link_drops());
	fflush(stderr);
	_exit(0);
}
