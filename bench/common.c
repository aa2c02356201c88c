/* Shared helpers of the benchmark programs; see common.h. */
#define _GNU_SOURCE
#include "common.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <errno.h>
#include <malloc.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

/* ---- clocks, counters, output ------------------------------------------------------------ */

uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

double now_s(void)
{
	return (double)now_ns() / 1e9;
}

void sleep_s(double seconds)
{
	struct timespec ts;

	if (seconds <= 0)
		return;
	ts.tv_sec = (time_t)seconds;
	ts.tv_nsec = (long)((seconds - (double)ts.tv_sec) * 1e9);
	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

void result(const char *name, double value, const char *unit)
{
	printf("RESULT %s %.6g %s\n", name, value, unit);
	fflush(stdout);
}

void die(const char *what)
{
	fprintf(stderr, "bench: %s: %s\n", what, strerror(errno));
	fflush(stdout);
	exit(2);
}

/* Value of the "Key:" line of a /proc status file, or -1. */
static long status_field(const char *path, const char *key)
{
	char line[256];
	size_t key_len = strlen(key);
	long value = -1;
	FILE *f = fopen(path, "r");

	if (f == NULL)
		return -1;
	while (fgets(line, sizeof(line), f) != NULL) {
		if (strncmp(line, key, key_len) == 0 && line[key_len] == ':') {
			value = strtol(line + key_len + 1, NULL, 10);
			break;
		}
	}
	fclose(f);
	return value;
}

long rss_kib(void)
{
	return status_field("/proc/self/status", "VmRSS");
}

size_t heap_bytes(void)
{
	struct mallinfo2 mi = mallinfo2();

	return mi.uordblks + mi.hblkhd;
}

double cpu_s(void)
{
	struct rusage ru;

	if (getrusage(RUSAGE_SELF, &ru) != 0)
		return 0;
	return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
	       (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

/* Calls fn on the status file of every thread of the process; returns the number of threads. */
static int for_each_task(void (*fn)(const char *path, void *arg), void *arg)
{
	char path[300];
	struct dirent *de;
	int n = 0;
	DIR *d = opendir("/proc/self/task");

	if (d == NULL)
		return -1;
	while ((de = readdir(d)) != NULL) {
		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/self/task/%s/status", de->d_name);
		if (fn != NULL)
			fn(path, arg);
		n++;
	}
	closedir(d);
	return n;
}

static void add_switches(const char *path, void *arg)
{
	long *sum = arg;
	long v = status_field(path, "voluntary_ctxt_switches");

	if (v > 0)
		*sum += v;
}

long wakeups(void)
{
	long sum = 0;

	for_each_task(add_switches, &sum);
	return sum;
}

int thread_count(void)
{
	return for_each_task(NULL, NULL);
}

int join_within(pthread_t thread, double seconds)
{
	struct timespec ts;
	double t;

	clock_gettime(CLOCK_REALTIME, &ts);
	t = (double)ts.tv_sec + (double)ts.tv_nsec / 1e9 + seconds;
	ts.tv_sec = (time_t)t;
	ts.tv_nsec = (long)((t - (double)ts.tv_sec) * 1e9);
	return pthread_timedjoin_np(thread, NULL, &ts);
}

int wait_child(pid_t pid, double seconds)
{
	double deadline = now_s() + seconds;
	int status;

	while (now_s() < deadline) {
		if (waitpid(pid, &status, WNOHANG) == pid)
			return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
		sleep_s(0.02);
	}
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	return -1;
}

/* ---- socket options and I/O -------------------------------------------------------------- */

void set_buffers(struct socket *s, int bytes)
{
	if (bytes <= 0)
		return;
	if (usrsctp_setsockopt(s, SOL_SOCKET, SO_SNDBUF, &bytes, sizeof(bytes)) < 0)
		die("usrsctp_setsockopt(SO_SNDBUF)");
	if (usrsctp_setsockopt(s, SOL_SOCKET, SO_RCVBUF, &bytes, sizeof(bytes)) < 0)
		die("usrsctp_setsockopt(SO_RCVBUF)");
}

void set_nodelay(struct socket *s)
{
	int on = 1;

	if (usrsctp_setsockopt(s, IPPROTO_SCTP, SCTP_NODELAY, &on, sizeof(on)) < 0)
		die("usrsctp_setsockopt(SCTP_NODELAY)");
}

ssize_t send_message(struct socket *s, const void *data, size_t length)
{
	struct sctp_sndinfo info;

	memset(&info, 0, sizeof(info));
	return usrsctp_sendv(s, data, length, NULL, 0, &info, (socklen_t)sizeof(info),
			     SCTP_SENDV_SNDINFO, 0);
}

ssize_t receive(struct socket *s, void *buffer, size_t length, int *eor)
{
	struct sockaddr_storage from;
	socklen_t from_len = (socklen_t)sizeof(from);
	struct sctp_rcvinfo info;
	socklen_t info_len = (socklen_t)sizeof(info);
	unsigned int info_type = 0;
	int flags = 0;
	ssize_t n;

	n = usrsctp_recvv(s, buffer, length, (struct sockaddr *)&from, &from_len, &info, &info_len,
			  &info_type, &flags);
	if (eor != NULL)
		*eor = (flags & MSG_EOR) != 0;
	return n;
}

/* ---- the in-memory AF_CONN link ---------------------------------------------------------- */

/* Packets an inbox holds at most; beyond that the link drops, like a full router queue. */
#define INBOX_LIMIT 65536

struct packet {
	struct packet *next;
	size_t length;
	unsigned char data[];
};

struct link_end {
	struct link_end *peer;
	pthread_mutex_t mutex;
	pthread_cond_t cond;
	struct packet *head, *tail;
	size_t count;
	int stop;
	pthread_t thread;
};

static atomic_ulong drops;

/*
 * usrsctp_conninput runs under the read side, usrsctp_finish under the write side: a packet is
 * never handed to a stack that is being torn down. After the stack finished, packets are dropped.
 */
static pthread_rwlock_t stack_lock;
static int stack_finished;

int link_conn_output(void *addr, void *buffer, size_t length, uint8_t tos, uint8_t set_df)
{
	struct link_end *to = ((struct link_end *)addr)->peer;
	struct packet *p;

	(void)tos;
	(void)set_df;
	pthread_mutex_lock(&to->mutex);
	if (to->count >= INBOX_LIMIT) {
		pthread_mutex_unlock(&to->mutex);
		atomic_fetch_add(&drops, 1);
		return 0;
	}
	pthread_mutex_unlock(&to->mutex);
	p = malloc(sizeof(*p) + length);
	if (p == NULL)
		return ENOMEM;
	p->next = NULL;
	p->length = length;
	memcpy(p->data, buffer, length);
	pthread_mutex_lock(&to->mutex);
	if (to->tail != NULL)
		to->tail->next = p;
	else
		to->head = p;
	to->tail = p;
	to->count++;
	pthread_cond_signal(&to->cond);
	pthread_mutex_unlock(&to->mutex);
	return 0;
}

static void *inbox_thread(void *arg)
{
	struct link_end *self = arg;
	struct packet *batch, *next;

	for (;;) {
		pthread_mutex_lock(&self->mutex);
		while (self->head == NULL && !self->stop)
			pthread_cond_wait(&self->cond, &self->mutex);
		batch = self->head;
		self->head = self->tail = NULL;
		self->count = 0;
		if (batch == NULL && self->stop) {
			pthread_mutex_unlock(&self->mutex);
			return NULL;
		}
		pthread_mutex_unlock(&self->mutex);
		pthread_rwlock_rdlock(&stack_lock);
		for (; batch != NULL; batch = next) {
			next = batch->next;
			if (!stack_finished)
				usrsctp_conninput(self, batch->data, batch->length, 0);
			free(batch);
		}
		pthread_rwlock_unlock(&stack_lock);
	}
}

static struct link_end *end_new(void)
{
	struct link_end *e = calloc(1, sizeof(*e));

	if (e == NULL)
		die("calloc");
	pthread_mutex_init(&e->mutex, NULL);
	pthread_cond_init(&e->cond, NULL);
	return e;
}

void link_start(struct conn_link *link)
{
	pthread_rwlockattr_t attr;

	pthread_rwlockattr_init(&attr);
	pthread_rwlockattr_setkind_np(&attr, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
	pthread_rwlock_init(&stack_lock, &attr);
	link->client = end_new();
	link->server = end_new();
	link->client->peer = link->server;
	link->server->peer = link->client;
	if (pthread_create(&link->client->thread, NULL, inbox_thread, link->client) != 0 ||
	    pthread_create(&link->server->thread, NULL, inbox_thread, link->server) != 0)
		die("pthread_create");
	usrsctp_register_address(link->client);
	usrsctp_register_address(link->server);
}

static void end_stop(struct link_end *e)
{
	pthread_mutex_lock(&e->mutex);
	e->stop = 1;
	pthread_cond_signal(&e->cond);
	pthread_mutex_unlock(&e->mutex);
	pthread_join(e->thread, NULL);
}

void link_stop(struct conn_link *link)
{
	/*
	 * The addresses are not deregistered: after usrsctp_finish the stack is gone, and before it
	 * the closing associations may still need them. The process exits right after.
	 */
	end_stop(link->client);
	end_stop(link->server);
}

unsigned long link_drops(void)
{
	return atomic_load(&drops);
}

void conn_address(struct sockaddr_conn *sconn, struct link_end *end, uint16_t port)
{
	memset(sconn, 0, sizeof(*sconn));
	sconn->sconn_family = AF_CONN;
	sconn->sconn_port = htons(port);
	sconn->sconn_addr = end;
}

void conn_pair(struct conn_link *link, int buffer, struct socket **client, struct socket **server)
{
	struct sockaddr_conn sconn;
	struct socket *listener, *c, *s;

	listener = usrsctp_socket(AF_CONN, SOCK_STREAM, IPPROTO_SCTP, NULL, NULL, 0, NULL);
	if (listener == NULL)
		die("usrsctp_socket(AF_CONN) for the listener");
	set_buffers(listener, buffer);
	conn_address(&sconn, link->server, BENCH_SCTP_PORT);
	if (usrsctp_bind(listener, (struct sockaddr *)&sconn, sizeof(sconn)) < 0)
		die("usrsctp_bind (listener)");
	if (usrsctp_listen(listener, 1) < 0)
		die("usrsctp_listen");

	c = usrsctp_socket(AF_CONN, SOCK_STREAM, IPPROTO_SCTP, NULL, NULL, 0, NULL);
	if (c == NULL)
		die("usrsctp_socket(AF_CONN) for the client");
	set_buffers(c, buffer);
	conn_address(&sconn, link->client, BENCH_SCTP_PORT);
	if (usrsctp_bind(c, (struct sockaddr *)&sconn, sizeof(sconn)) < 0)
		die("usrsctp_bind (client)");
	/* Seen from the client the peer's address is the client's own end of the link. */
	if (usrsctp_connect(c, (struct sockaddr *)&sconn, sizeof(sconn)) < 0)
		die("usrsctp_connect");

	s = usrsctp_accept(listener, NULL, NULL);
	if (s == NULL)
		die("usrsctp_accept");
	usrsctp_close(listener);
	set_buffers(s, buffer);
	*client = c;
	*server = s;
}

int close_and_finish(struct socket **sockets, int count, double seconds)
{
	double deadline = now_s() + seconds;
	int i, r;

	for (i = 0; i < count; i++) {
		if (sockets[i] != NULL)
			usrsctp_close(sockets[i]);
	}
	for (;;) {
		pthread_rwlock_wrlock(&stack_lock);
		r = usrsctp_finish();
		if (r == 0)
			stack_finished = 1;
		pthread_rwlock_unlock(&stack_lock);
		if (r == 0)
			return 0;
		if (now_s() > deadline)
			return -1;
		sleep_s(0.05);
	}
}

/* ---- UDP encapsulation on loopback ------------------------------------------------------- */

static void loopback(struct sockaddr_in *sin, uint16_t port)
{
	memset(sin, 0, sizeof(*sin));
	sin->sin_family = AF_INET;
	sin->sin_port = htons(port);
	sin->sin_addr.s_addr = htonl(INADDR_LOOPBACK);
}

struct socket *udp_server_accept(int ready_fd, int buffer)
{
	struct sockaddr_in sin;
	struct socket *listener, *s;
	char byte = 'r';

	usrsctp_init(BENCH_UDP_PORT_SERVER, NULL, NULL);
	listener = usrsctp_socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP, NULL, NULL, 0, NULL);
	if (listener == NULL)
		die("usrsctp_socket(AF_INET) for the listener");
	set_buffers(listener, buffer);
	loopback(&sin, BENCH_SCTP_PORT);
	if (usrsctp_bind(listener, (struct sockaddr *)&sin, sizeof(sin)) < 0)
		die("usrsctp_bind (listener)");
	if (usrsctp_listen(listener, 1) < 0)
		die("usrsctp_listen");
	if (write(ready_fd, &byte, 1) != 1)
		die("write (ready)");
	s = usrsctp_accept(listener, NULL, NULL);
	if (s == NULL)
		die("usrsctp_accept");
	usrsctp_close(listener);
	set_buffers(s, buffer);
	return s;
}

struct socket *udp_client_connect(int ready_fd, int buffer)
{
	struct sockaddr_in sin;
	struct sctp_udpencaps encaps;
	struct socket *s;
	char byte;

	if (read(ready_fd, &byte, 1) != 1)
		die("read (server not ready)");
	usrsctp_init(BENCH_UDP_PORT_CLIENT, NULL, NULL);
	s = usrsctp_socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP, NULL, NULL, 0, NULL);
	if (s == NULL)
		die("usrsctp_socket(AF_INET) for the client");
	set_buffers(s, buffer);
	/* No address: the port applies to every path of the future association. */
	memset(&encaps, 0, sizeof(encaps));
	encaps.sue_port = htons(BENCH_UDP_PORT_SERVER);
	if (usrsctp_setsockopt(s, IPPROTO_SCTP, SCTP_REMOTE_UDP_ENCAPS_PORT, &encaps,
			       sizeof(encaps)) < 0)
		die("usrsctp_setsockopt(SCTP_REMOTE_UDP_ENCAPS_PORT)");
	loopback(&sin, 0);
	if (usrsctp_bind(s, (struct sockaddr *)&sin, sizeof(sin)) < 0)
		die("usrsctp_bind (client)");
	loopback(&sin, BENCH_SCTP_PORT);
	if (usrsctp_connect(s, (struct sockaddr *)&sin, sizeof(sin)) < 0)
		die("usrsctp_connect");
	return s;
}

void end_two_process_run(pid_t pid, const char *who, struct socket **s)
{
	int status = wait_child(pid, 10);

	if (status != 0) {
		fprintf(stderr, "bench: teardown: the %s exited with %d\n", who, status);
		_exit(4);
	}
	if (close_and_finish(s, 1, 5) != 0) {
		fprintf(stderr, "bench: teardown: usrsctp_finish did not succeed\n");
		_exit(4);
	}
}
