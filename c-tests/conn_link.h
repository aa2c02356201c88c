/*
 * An in-process AF_CONN "wire" for the C tests: no packet leaves the process.
 *
 * A link has two ends, A and B; the address of a link end is what the tests put in
 * sockaddr_conn.sconn_addr. usrsctp_conninput(X, ...) makes X both the source and the destination
 * address of the packet, and replies to it leave through conn_output(X), so a packet handed to
 * conn_output(A) must come back in as usrsctp_conninput(B) and the other way round. A client
 * binds to A and connects to A:port; the server binds to B:port.
 *
 * Packets are queued by conn_output and handed to usrsctp_conninput by one delivery thread, never
 * from inside conn_output (the library may hold its locks while it calls conn_output).
 * link_set_loss() drops every n-th packet, to make the timers retransmit.
 */
#ifndef CONN_LINK_H
#define CONN_LINK_H

#include <arpa/inet.h>
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <usrsctp.h>

struct link_end {
	struct link_end *peer;
};

struct link_packet {
	struct link_packet *next;
	void *to;
	size_t len;
	unsigned char data[];
};

static struct {
	pthread_mutex_t mu;
	pthread_cond_t cv;
	struct link_packet *head, *tail;
	pthread_t thread;
	int running, stop, delivering, paused;
	unsigned int drop_every, seen;
	unsigned long sent, delivered, dropped;
} link_q = { PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, NULL, NULL, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0 };

/* The conn_output callback to give usrsctp_init. */
static inline int link_output(void *addr, void *buffer, size_t length, uint8_t tos, uint8_t set_df)
{
	struct link_end *from = addr;
	struct link_packet *p;

	(void)tos;
	(void)set_df;
	if (from == NULL || from->peer == NULL)
		return 0; /* nobody at the other end: lost */
	p = malloc(sizeof(*p) + length);
	if (p == NULL)
		return ENOMEM;
	p->next = NULL;
	p->to = from->peer;
	p->len = length;
	memcpy(p->data, buffer, length);
	pthread_mutex_lock(&link_q.mu);
	link_q.sent++;
	if (link_q.drop_every != 0 && ++link_q.seen % link_q.drop_every == 0) {
		link_q.dropped++;
		pthread_mutex_unlock(&link_q.mu);
		free(p);
		return 0;
	}
	if (link_q.tail != NULL)
		link_q.tail->next = p;
	else
		link_q.head = p;
	link_q.tail = p;
	pthread_cond_broadcast(&link_q.cv);
	pthread_mutex_unlock(&link_q.mu);
	return 0;
}

static inline void *link_thread(void *arg)
{
	struct link_packet *p;

	(void)arg;
	pthread_mutex_lock(&link_q.mu);
	for (;;) {
		while ((link_q.head == NULL || link_q.paused) && !link_q.stop)
			pthread_cond_wait(&link_q.cv, &link_q.mu);
		if (link_q.stop)
			break;
		p = link_q.head;
		link_q.head = p->next;
		if (link_q.head == NULL)
			link_q.tail = NULL;
		link_q.delivering = 1;
		pthread_mutex_unlock(&link_q.mu);
		usrsctp_conninput(p->to, p->data, p->len, 0);
		free(p);
		pthread_mutex_lock(&link_q.mu);
		link_q.delivering = 0;
		link_q.delivered++;
		pthread_cond_broadcast(&link_q.cv);
	}
	pthread_mutex_unlock(&link_q.mu);
	return NULL;
}

/* Joins the two ends and registers both as local AF_CONN addresses. */
static inline void link_join(struct link_end *a, struct link_end *b)
{
	a->peer = b;
	b->peer = a;
	usrsctp_register_address(a);
	usrsctp_register_address(b);
}

static inline void link_unjoin(struct link_end *a, struct link_end *b)
{
	usrsctp_deregister_address(a);
	usrsctp_deregister_address(b);
}

/* While paused, packets are queued and not delivered. */
static inline void link_pause(int on)
{
	pthread_mutex_lock(&link_q.mu);
	link_q.paused = on;
	pthread_cond_broadcast(&link_q.cv);
	pthread_mutex_unlock(&link_q.mu);
}

static inline void link_set_loss(unsigned int every)
{
	pthread_mutex_lock(&link_q.mu);
	link_q.drop_every = every;
	link_q.seen = 0;
	pthread_mutex_unlock(&link_q.mu);
}

static inline void link_start(void)
{
	pthread_mutex_lock(&link_q.mu);
	link_q.stop = 0;
	pthread_mutex_unlock(&link_q.mu);
	if (pthread_create(&link_q.thread, NULL, link_thread, NULL) != 0) {
		perror("pthread_create");
		exit(2);
	}
	link_q.running = 1;
}

static inline long link_now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Waits until no packet has been queued or delivered for quiet_ms, at most max_ms. */
static inline void link_wait_quiet(int quiet_ms, int max_ms)
{
	long start = link_now_ms(), last_change = start;
	unsigned long last = ~0UL;

	for (;;) {
		unsigned long now_count;
		int busy;
		long now = link_now_ms();

		pthread_mutex_lock(&link_q.mu);
		now_count = link_q.sent + link_q.delivered;
		busy = link_q.head != NULL || link_q.delivering;
		pthread_mutex_unlock(&link_q.mu);
		if (now_count != last || busy) {
			last = now_count;
			last_change = now;
		} else if (now - last_change >= quiet_ms) {
			return;
		}
		if (now - start >= max_ms)
			return;
		usleep(5000);
	}
}

/* Stops the delivery thread; packets still queued are dropped. */
static inline void link_stop(void)
{
	struct link_packet *p;

	if (!link_q.running)
		return;
	pthread_mutex_lock(&link_q.mu);
	link_q.stop = 1;
	pthread_cond_broadcast(&link_q.cv);
	pthread_mutex_unlock(&link_q.mu);
	pthread_join(link_q.thread, NULL);
	link_q.running = 0;
	pthread_mutex_lock(&link_q.mu);
	while ((p = link_q.head) != NULL) {
		link_q.head = p->next;
		free(p);
	}
	link_q.tail = NULL;
	pthread_mutex_unlock(&link_q.mu);
}

/* A sockaddr_conn for a link end and port (host order). */
static inline struct sockaddr_conn link_addr(struct link_end *end, uint16_t port)
{
	struct sockaddr_conn sconn;

	memset(&sconn, 0, sizeof(sconn));
	sconn.sconn_family = AF_CONN;
#ifdef HAVE_SCONN_LEN
	sconn.sconn_len = sizeof(sconn);
#endif
	sconn.sconn_port = htons(port);
	sconn.sconn_addr = end;
	return sconn;
}

/*
 * usrsctp_finish until it answers 0 (it refuses while sockets or associations remain), for at
 * most max_ms. The delivery thread must be stopped first: nothing may call into the library
 * once it has finished.
 */
static inline int link_finish(int max_ms)
{
	long start = link_now_ms();

	while (usrsctp_finish() != 0) {
		if (link_now_ms() - start > max_ms)
			return -1;
		usleep(10000);
	}
	return 0;
}

#endif
