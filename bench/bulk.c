/*
 * Bulk transfer: one association, one sender that sends messages of a fixed size as fast as the
 * send buffer allows (blocking usrsctp_sendv), one receiver that reads them (blocking
 * usrsctp_recvv). Throughput is measured at the receiver over a window that starts after a
 * warm-up.
 *
 *   bench_bulk conn <message bytes> <seconds>   AF_CONN in one process (threaded stack,
 *                                               usrsctp_init(0, conn_output, NULL))
 *   bench_bulk udp  <message bytes> <seconds>   UDP encapsulation on 127.0.0.1 between two
 *                                               processes (this one receives, a child sends)
 *
 * Results: <transport>_bulk_<size>_MBps (10^6 bytes per second) and <transport>_bulk_<size>_msgps.
 */
#define _GNU_SOURCE
#include "common.h"

#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

#define WARMUP_S 0.5
#define RECEIVE_BUFFER (256 * 1024)

static struct socket *sender_socket, *receiver_socket;
static size_t message_size;
static atomic_int stop_sending;
static atomic_ullong received_bytes, received_messages;
static atomic_int receiver_error, sender_error;

static void *sender(void *arg)
{
	char *message = malloc(message_size);

	(void)arg;
	if (message == NULL)
		die("malloc");
	memset(message, 'b', message_size);
	while (!atomic_load(&stop_sending)) {
		if (send_message(sender_socket, message, message_size) < 0) {
			if (errno == EINTR)
				continue;
			atomic_store(&sender_error, errno);
			fprintf(stderr, "bench: usrsctp_sendv: %s\n", strerror(errno));
			break;
		}
	}
	free(message);
	return NULL;
}

static void *receiver(void *arg)
{
	char *buffer = malloc(RECEIVE_BUFFER);
	ssize_t n;
	int eor;

	(void)arg;
	if (buffer == NULL)
		die("malloc");
	for (;;) {
		n = receive(receiver_socket, buffer, RECEIVE_BUFFER, &eor);
		if (n > 0) {
			atomic_fetch_add(&received_bytes, (unsigned long long)n);
			if (eor)
				atomic_fetch_add(&received_messages, 1);
		} else if (n == 0) {
			break;
		} else if (errno != EINTR) {
			atomic_store(&receiver_error, errno);
			fprintf(stderr, "bench: usrsctp_recvv: %s\n", strerror(errno));
			break;
		}
	}
	free(buffer);
	return NULL;
}

static void start(pthread_t *thread, void *(*fn)(void *))
{
	if (pthread_create(thread, NULL, fn, NULL) != 0)
		die("pthread_create");
}

/* Waits for the first data, then measures over `seconds` after the warm-up. 0 on success. */
static int measure(const char *transport, double seconds)
{
	unsigned long long b0, b1, m0, m1;
	double deadline = now_s() + 10, t0, t1;
	char name[64];

	while (atomic_load(&received_bytes) == 0) {
		if (now_s() > deadline || atomic_load(&receiver_error) || atomic_load(&sender_error)) {
			fprintf(stderr, "bench: no data arrived\n");
			return -1;
		}
		sleep_s(0.001);
	}
	sleep_s(WARMUP_S);
	t0 = now_s();
	b0 = atomic_load(&received_bytes);
	m0 = atomic_load(&received_messages);
	sleep_s(seconds);
	t1 = now_s();
	b1 = atomic_load(&received_bytes);
	m1 = atomic_load(&received_messages);
	if (atomic_load(&receiver_error) || atomic_load(&sender_error) || b1 == b0) {
		fprintf(stderr, "bench: the transfer stopped during the measurement\n");
		return -1;
	}
	snprintf(name, sizeof(name), "%s_bulk_%zu_MBps", transport, message_size);
	result(name, (double)(b1 - b0) / (t1 - t0) / 1e6, "MB/s");
	snprintf(name, sizeof(name), "%s_bulk_%zu_msgps", transport, message_size);
	result(name, (double)(m1 - m0) / (t1 - t0), "msg/s");
	fprintf(stderr, "bench: %s: %llu bytes, %llu messages in %.3f s; link drops %lu\n",
		transport, b1 - b0, m1 - m0, t1 - t0, link_drops());
	return 0;
}

static int run_conn(double seconds)
{
	struct conn_link link;
	struct socket *sockets[2];
	pthread_t tx, rx;

	usrsctp_init(0, link_conn_output, NULL);
	link_start(&link);
	conn_pair(&link, BENCH_SOCKET_BUFFER, &sender_socket, &receiver_socket);
	start(&rx, receiver);
	start(&tx, sender);
	if (measure("conn", seconds) != 0)
		_exit(3);

	/* Tear down: the receiver drains until the sender stops, then reads the end of the stream. */
	atomic_store(&stop_sending, 1);
	if (join_within(tx, 10) != 0) {
		fprintf(stderr, "bench: teardown: the sender did not stop\n");
		_exit(4);
	}
	usrsctp_shutdown(sender_socket, SHUT_WR);
	if (join_within(rx, 10) != 0) {
		fprintf(stderr, "bench: teardown: the receiver saw no end of stream\n");
		_exit(4);
	}
	sockets[0] = sender_socket;
	sockets[1] = receiver_socket;
	if (close_and_finish(sockets, 2, 5) != 0) {
		fprintf(stderr, "bench: teardown: usrsctp_finish did not succeed\n");
		_exit(4);
	}
	link_stop(&link);
	return 0;
}

static void run_udp_client(int ready_fd, int stop_fd)
{
	pthread_t tx;
	char byte;

	prctl(PR_SET_PDEATHSIG, SIGKILL);
	sender_socket = udp_client_connect(ready_fd, BENCH_SOCKET_BUFFER);
	start(&tx, sender);
	/* The parent writes a byte when it has measured (or dies: end of file). */
	(void)!read(stop_fd, &byte, 1);
	atomic_store(&stop_sending, 1);
	if (join_within(tx, 10) != 0) {
		fprintf(stderr, "bench: client teardown: the sender did not stop\n");
		_exit(4);
	}
	usrsctp_shutdown(sender_socket, SHUT_WR);
	if (close_and_finish(&sender_socket, 1, 5) != 0) {
		fprintf(stderr, "bench: client teardown: usrsctp_finish did not succeed\n");
		_exit(4);
	}
	_exit(0);
}

static int run_udp(double seconds)
{
	int ready[2], stop[2];
	pthread_t rx;
	pid_t pid;
	char byte = 's';

	if (pipe(ready) != 0 || pipe(stop) != 0)
		die("pipe");
	fflush(stdout);
	pid = fork();
	if (pid < 0)
		die("fork");
	if (pid == 0) {
		close(ready[1]);
		close(stop[1]);
		run_udp_client(ready[0], stop[0]);
	}
	close(ready[0]);
	close(stop[0]);
	receiver_socket = udp_server_accept(ready[1], BENCH_SOCKET_BUFFER);
	start(&rx, receiver);
	if (measure("udp", seconds) != 0) {
		kill(pid, SIGKILL);
		_exit(3);
	}
	if (write(stop[1], &byte, 1) != 1)
		die("write (stop)");
	if (join_within(rx, 15) != 0) {
		fprintf(stderr, "bench: teardown: the receiver saw no end of stream\n");
		kill(pid, SIGKILL);
		_exit(4);
	}
	end_two_process_run(pid, "client", &receiver_socket);
	return 0;
}

int main(int argc, char **argv)
{
	double seconds;

	if (argc != 4) {
		fprintf(stderr, "usage: %s conn|udp <message bytes> <seconds>\n", argv[0]);
		return 1;
	}
	message_size = (size_t)strtoul(argv[2], NULL, 10);
	seconds = strtod(argv[3], NULL);
	if (message_size == 0 || seconds <= 0) {
		fprintf(stderr, "bench: bad message size or duration\n");
		return 1;
	}
	/* Last line of defence against a hang; scripts/bench has its own timeout. */
	alarm((unsigned)(seconds * 2 + 60));
	if (strcmp(argv[1], "conn") == 0)
		return run_conn(seconds);
	if (strcmp(argv[1], "udp") == 0)
		return run_udp(seconds);
	fprintf(stderr, "bench: unknown transport %s\n", argv[1]);
	return 1;
}
