/*
 * Request/response latency with the threaded stack: a client sends a small message, a server
 * echoes it, the client waits for the echo before sending the next one. SCTP_NODELAY is set on
 * both sockets (otherwise Nagle's algorithm decides the result).
 *
 *   bench_latency conn <round trips>   AF_CONN in one process (the echo runs in a thread)
 *   bench_latency udp  <round trips>   UDP encapsulation on 127.0.0.1, echo in a child process
 *
 * Results: <transport>_rtt_p50_us and <transport>_rtt_p99_us (microseconds).
 */
#define _GNU_SOURCE
#include "common.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

#define MESSAGE_SIZE 64
#define WARMUP_ROUNDS 200

/* Echoes every message until the end of the stream; returns 0 on a clean end. */
static int echo(struct socket *s)
{
	char buffer[4096];
	ssize_t n;
	int eor;

	for (;;) {
		n = receive(s, buffer, sizeof(buffer), &eor);
		if (n == 0)
			return 0;
		if (n < 0) {
			if (errno == EINTR)
				continue;
			fprintf(stderr, "bench: echo: usrsctp_recvv: %s\n", strerror(errno));
			return -1;
		}
		if (send_message(s, buffer, (size_t)n) < 0) {
			fprintf(stderr, "bench: echo: usrsctp_sendv: %s\n", strerror(errno));
			return -1;
		}
	}
}

static void *echo_thread(void *arg)
{
	echo(arg);
	return NULL;
}

static int compare_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return (x > y) - (x < y);
}

/* Runs the ping-pong and prints the percentiles; returns 0 on success. */
static int ping(struct socket *s, const char *transport, int rounds)
{
	char message[MESSAGE_SIZE], reply[4096];
	uint64_t *rtt = calloc((size_t)rounds, sizeof(uint64_t));
	uint64_t t0;
	size_t got;
	ssize_t n;
	char name[64];
	int i, eor;

	if (rtt == NULL)
		die("calloc");
	memset(message, 'p', sizeof(message));
	for (i = -WARMUP_ROUNDS; i < rounds; i++) {
		t0 = now_ns();
		if (send_message(s, message, sizeof(message)) < 0) {
			fprintf(stderr, "bench: usrsctp_sendv: %s\n", strerror(errno));
			return -1;
		}
		got = 0;
		do {
			n = receive(s, reply, sizeof(reply), &eor);
			if (n < 0 && errno == EINTR)
				continue;
			if (n <= 0) {
				fprintf(stderr, "bench: usrsctp_recvv: %s\n",
					n == 0 ? "end of stream" : strerror(errno));
				return -1;
			}
			got += (size_t)n;
		} while (!eor);
		if (got != sizeof(message)) {
			fprintf(stderr, "bench: echo of %zu bytes instead of %zu\n", got,
				sizeof(message));
			return -1;
		}
		if (i >= 0)
			rtt[i] = now_ns() - t0;
	}
	qsort(rtt, (size_t)rounds, sizeof(uint64_t), compare_u64);
	snprintf(name, sizeof(name), "%s_rtt_p50_us", transport);
	result(name, (double)rtt[rounds / 2] / 1e3, "us");
	snprintf(name, sizeof(name), "%s_rtt_p99_us", transport);
	result(name, (double)rtt[(size_t)rounds * 99 / 100] / 1e3, "us");
	free(rtt);
	return 0;
}

static int run_conn(int rounds)
{
	struct conn_link link;
	struct socket *sockets[2];
	pthread_t server;

	usrsctp_init(0, link_conn_output, NULL);
	link_start(&link);
	conn_pair(&link, 0, &sockets[0], &sockets[1]);
	set_nodelay(sockets[0]);
	set_nodelay(sockets[1]);
	if (pthread_create(&server, NULL, echo_thread, sockets[1]) != 0)
		die("pthread_create");
	if (ping(sockets[0], "conn", rounds) != 0)
		_exit(3);
	usrsctp_shutdown(sockets[0], SHUT_WR);
	if (join_within(server, 10) != 0) {
		fprintf(stderr, "bench: teardown: the echo server saw no end of stream\n");
		_exit(4);
	}
	if (close_and_finish(sockets, 2, 5) != 0) {
		fprintf(stderr, "bench: teardown: usrsctp_finish did not succeed\n");
		_exit(4);
	}
	link_stop(&link);
	return 0;
}

static int run_udp(int rounds)
{
	struct socket *s;
	int ready[2];
	pid_t pid;

	if (pipe(ready) != 0)
		die("pipe");
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		close(ready[0]);
		s = udp_server_accept(ready[1], 0);
		set_nodelay(s);
		if (echo(s) != 0)
			_exit(3);
		_exit(close_and_finish(&s, 1, 5) == 0 ? 0 : 4);
	}
	close(ready[1]);
	s = udp_client_connect(ready[0], 0);
	set_nodelay(s);
	if (ping(s, "udp", rounds) != 0) {
		kill(pid, SIGKILL);
		_exit(3);
	}
	usrsctp_shutdown(s, SHUT_WR);
	end_two_process_run(pid, "echo server", &s);
	return 0;
}

int main(int argc, char **argv)
{
	int rounds;

	if (argc != 3) {
		fprintf(stderr, "usage: %s conn|udp <round trips>\n", argv[0]);
		return 1;
	}
	rounds = atoi(argv[2]);
	if (rounds < 100) {
		fprintf(stderr, "bench: at least 100 round trips\n");
		return 1;
	}
	alarm(300);
	if (strcmp(argv[1], "conn") == 0)
		return run_conn(rounds);
	if (strcmp(argv[1], "udp") == 0)
		return run_udp(rounds);
	fprintf(stderr, "bench: unknown transport %s\n", argv[1]);
	return 1;
}
