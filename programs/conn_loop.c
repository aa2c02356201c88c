/*
 * conn_loop: two SCTP endpoints in one process, joined by the AF_CONN interface instead of a
 * network.
 *
 * With AF_CONN the application is SCTP's lower layer (this is how WebRTC runs SCTP over DTLS):
 * the stack hands every packet it sends to the conn_output function given to usrsctp_init, and
 * the application passes every packet that arrives to usrsctp_conninput. An AF_CONN address is
 * an opaque pointer the application registers; here it is the address of the "wire", a queue in
 * memory. conn_output appends to the queue and a thread drains it into usrsctp_conninput. Both
 * sockets sit on the same address, so the ports tell them apart.
 *
 * The server is a one-to-many socket whose receive callback sends every message back. The client
 * connects, sends count messages spread over a few streams, and checks the answers in its own
 * receive callback. Then the client shuts the association down, the sockets are closed and the
 * stack is stopped.
 *
 *   conn_loop [-n count] [-l length] [-t seconds]
 *
 *   -n count    number of messages (default 100)
 *   -l length   bytes per message, 1 to 8192 (default 1000)
 *   -t seconds  give up after this long, exit status 2 (default 30)
 *
 * Exit status: 0 when every answer came back intact, 1 otherwise, 2 at the time limit.
 */
#define _POSIX_C_SOURCE 200809L

#include <arpa/inet.h>
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <usrsctp.h>

#define SERVER_PORT 5001
#define CLIENT_PORT 5002
#define STREAMS 4          /* message i goes on stream i % STREAMS (libusrsctp's default: 10) */
#define MAX_LENGTH 8192
#define WINDOW 16          /* messages sent but not answered yet, at most */
#define MAX_QUEUED 1024    /* packets; beyond that the wire drops them, as a network would */

static const char *program = "conn_loop";

#include "common.h"

/* --- The wire: packets from conn_output to usrsctp_conninput --------------------------------- */

struct packet {
	struct packet *next;
	size_t length;
	char data[];
};

struct wire {
	pthread_mutex_t lock;
	pthread_cond_t nonempty;
	struct packet *head, *tail;
	size_t queued;
	int closed;
	pthread_t thread;
};

static struct wire wire = { .lock = PTHREAD_MUTEX_INITIALIZER,
			    .nonempty = PTHREAD_COND_INITIALIZER };

/* The stack calls this for every packet; addr is the destination's AF_CONN address. It may be
 * called from any of the stack's threads. */
static int conn_output(void *addr, void *buffer, size_t length, uint8_t tos, uint8_t set_df)
{
	struct wire *w = addr;
	struct packet *p;

	(void)tos;
	(void)set_df;
	p = malloc(sizeof(*p) + length);
	if (p == NULL)
		return ENOMEM;
	p->next = NULL;
	p->length = length;
	memcpy(p->data, buffer, length);
	pthread_mutex_lock(&w->lock);
	if (w->closed || w->queued >= MAX_QUEUED) {
		pthread_mutex_unlock(&w->lock);
		free(p);
		return 0; /* lost on the way; SCTP retransmits */
	}
	if (w->tail != NULL)
		w->tail->next = p;
	else
		w->head = p;
	w->tail = p;
	w->queued++;
	pthread_cond_signal(&w->nonempty);
	pthread_mutex_unlock(&w->lock);
	return 0;
}

/* The wire's thread: delivers queued packets to the stack, in order, until the wire closes. */
static void *wire_run(void *arg)
{
	struct wire *w = arg;

	for (;;) {
		struct packet *p;

		pthread_mutex_lock(&w->lock);
		while (w->head == NULL && !w->closed)
			pthread_cond_wait(&w->nonempty, &w->lock);
		if (w->closed) {
			pthread_mutex_unlock(&w->lock);
			return NULL;
		}
		p = w->head;
		w->head = p->next;
		if (w->head == NULL)
			w->tail = NULL;
		w->queued--;
		pthread_mutex_unlock(&w->lock);

		usrsctp_conninput(w, p->data, p->length, 0);
		free(p);
	}
}

/* Stops the thread and drops what is still queued. */
static void wire_close(struct wire *w)
{
	pthread_mutex_lock(&w->lock);
	w->closed = 1;
	pthread_cond_signal(&w->nonempty);
	pthread_mutex_unlock(&w->lock);
	pthread_join(w->thread, NULL);
	while (w->head != NULL) {
		struct packet *p = w->head;

		w->head = p->next;
		free(p);
	}
	w->tail = NULL;
	w->queued = 0;
}

/* --- What the two endpoints have seen, shared with the callbacks ----------------------------- */

static struct {
	pthread_mutex_t lock;
	pthread_cond_t changed;
	unsigned long answers;    /* correct answers the client received */
	unsigned long wrong;      /* answers that did not match */
	unsigned char *seen;      /* seen[i]: the answer to message i arrived */
	int client_closed;        /* the client's receive callback saw the end of the association */
	int server_closed;        /* the server got SCTP_SHUTDOWN_COMP */
} state = { .lock = PTHREAD_MUTEX_INITIALIZER, .changed = PTHREAD_COND_INITIALIZER };

static unsigned long count = 100;
static size_t length = 1000;

/* Message i: a byte pattern that differs from one message to the next. */
static void fill_message(char *buf, size_t size, unsigned long i)
{
	size_t k;

	for (k = 0; k < size; k++)
		buf[k] = (char)('A' + (i * 7 + k) % 26);
}

/*
 * Receive callbacks run on the thread that made the stack deliver, here mostly the wire's thread
 * inside usrsctp_conninput. The callback owns data and frees it. data is NULL when a one-to-one
 * socket's association has ended. The server answers from inside its callback; that cannot
 * block, which the client's window (see send_messages) takes care of.
 */
static int server_receive(struct socket *sock, union sctp_sockstore from, void *data,
			  size_t datalen, struct sctp_rcvinfo info, int flags, void *ulp_info)
{
	(void)from;
	(void)ulp_info;
	if (data == NULL)
		return 1;
	if (flags & MSG_NOTIFICATION) {
		const union sctp_notification *notification = data;

		if (notification->sn_header.sn_type == SCTP_ASSOC_CHANGE &&
		    (notification->sn_assoc_change.sac_state == SCTP_SHUTDOWN_COMP ||
		     notification->sn_assoc_change.sac_state == SCTP_COMM_LOST)) {
			pthread_mutex_lock(&state.lock);
			state.server_closed = 1;
			pthread_cond_signal(&state.changed);
			pthread_mutex_unlock(&state.lock);
		}
	} else {
		struct sctp_sndinfo send_info;

		memset(&send_info, 0, sizeof(send_info));
		send_info.snd_sid = info.rcv_sid;
		send_info.snd_ppid = info.rcv_ppid;
		send_info.snd_assoc_id = info.rcv_assoc_id;
		if (usrsctp_sendv(sock, data, datalen, NULL, 0, &send_info, sizeof(send_info),
				  SCTP_SENDV_SNDINFO, 0) < 0)
			fprintf(stderr, "%s: server: usrsctp_sendv: %s\n", program, strerror(errno));
	}
	free(data);
	return 1;
}

/* Checks an answer: the PPID says which message it answers. */
static int answer_matches(const char *data, size_t datalen, const struct sctp_rcvinfo *info,
			  int flags, unsigned long *index)
{
	static char expected[MAX_LENGTH];
	unsigned long i = ntohl(info->rcv_ppid);

	*index = i;
	if (!(flags & MSG_EOR) || i >= count || state.seen[i] || datalen != length ||
	    info->rcv_sid != i % STREAMS)
		return 0;
	fill_message(expected, length, i);
	return memcmp(data, expected, length) == 0;
}

static int client_receive(struct socket *sock, union sctp_sockstore from, void *data,
			  size_t datalen, struct sctp_rcvinfo info, int flags, void *ulp_info)
{
	unsigned long i;

	(void)sock;
	(void)from;
	(void)ulp_info;
	pthread_mutex_lock(&state.lock);
	if (data == NULL) {
		state.client_closed = 1;
	} else if (!(flags & MSG_NOTIFICATION)) {
		if (answer_matches(data, datalen, &info, flags, &i)) {
			state.seen[i] = 1;
			state.answers++;
		} else {
			fprintf(stderr, "%s: a wrong answer (%zu bytes, stream %u, PPID %lu)\n",
				program, datalen, info.rcv_sid, i);
			state.wrong++;
		}
	}
	pthread_cond_signal(&state.changed);
	pthread_mutex_unlock(&state.lock);
	free(data);
	return 1;
}

/* --- Setting up and tearing down --------------------------------------------------------------- */

static void usage(void)
{
	fprintf(stderr, "usage: %s [-n count] [-l length] [-t seconds]\n", program);
	exit(1);
}

static struct sockaddr_conn conn_address(uint16_t port)
{
	struct sockaddr_conn address;

	memset(&address, 0, sizeof(address));
	address.sconn_family = AF_CONN;
	address.sconn_port = htons(port);
	address.sconn_addr = &wire;
	return address;
}

/* A one-to-many server socket listening on SERVER_PORT, told when associations end. */
static struct socket *open_server(void)
{
	struct sockaddr_conn address = conn_address(SERVER_PORT);
	struct sctp_event event;
	struct socket *sock;

	sock = usrsctp_socket(AF_CONN, SOCK_SEQPACKET, IPPROTO_SCTP, server_receive, NULL, 0,
			      NULL);
	if (sock == NULL) {
		fprintf(stderr, "%s: usrsctp_socket: %s\n", program, strerror(errno));
		return NULL;
	}
	memset(&event, 0, sizeof(event));
	event.se_assoc_id = SCTP_FUTURE_ASSOC;
	event.se_type = SCTP_ASSOC_CHANGE;
	event.se_on = 1;
	if (usrsctp_setsockopt(sock, IPPROTO_SCTP, SCTP_EVENT, &event, sizeof(event)) < 0 ||
	    usrsctp_bind(sock, (struct sockaddr *)&address, sizeof(address)) < 0 ||
	    usrsctp_listen(sock, 1) < 0) {
		fprintf(stderr, "%s: server setup: %s\n", program, strerror(errno));
		usrsctp_close(sock);
		return NULL;
	}
	return sock;
}

/* A one-to-one client socket on CLIENT_PORT, connected to the server. */
static struct socket *open_client(void)
{
	struct sockaddr_conn local = conn_address(CLIENT_PORT);
	struct sockaddr_conn server = conn_address(SERVER_PORT);
	struct socket *sock;

	sock = usrsctp_socket(AF_CONN, SOCK_STREAM, IPPROTO_SCTP, client_receive, NULL, 0, NULL);
	if (sock == NULL) {
		fprintf(stderr, "%s: usrsctp_socket: %s\n", program, strerror(errno));
		return NULL;
	}
	if (usrsctp_bind(sock, (struct sockaddr *)&local, sizeof(local)) < 0 ||
	    usrsctp_connect(sock, (struct sockaddr *)&server, sizeof(server)) < 0) {
		fprintf(stderr, "%s: client setup: %s\n", program, strerror(errno));
		usrsctp_close(sock);
		return NULL;
	}
	return sock;
}

/*
 * Sends the messages, keeping at most WINDOW of them unanswered, then waits for the last
 * answers. A socket with a receive callback never blocks in usrsctp_sendv: when its send buffer
 * is full the call fails with EWOULDBLOCK. The window keeps both send buffers far from full.
 */
static int send_messages(struct socket *sock)
{
	static char buf[MAX_LENGTH];
	struct sctp_sndinfo send_info;
	unsigned long i;
	int result = 0;

	for (i = 0; i <= count; i++) {
		pthread_mutex_lock(&state.lock);
		while (state.wrong == 0 && state.answers + (i < count ? WINDOW : 0) < i)
			pthread_cond_wait(&state.changed, &state.lock);
		if (state.wrong != 0)
			result = -1;
		pthread_mutex_unlock(&state.lock);
		if (result < 0 || i == count)
			break;

		fill_message(buf, length, i);
		memset(&send_info, 0, sizeof(send_info));
		send_info.snd_sid = (uint16_t)(i % STREAMS);
		send_info.snd_ppid = htonl((uint32_t)i); /* names the message in its answer */
		if (usrsctp_sendv(sock, buf, length, NULL, 0, &send_info, sizeof(send_info),
				  SCTP_SENDV_SNDINFO, 0) < 0) {
			fprintf(stderr, "%s: client: usrsctp_sendv: %s\n", program, strerror(errno));
			return -1;
		}
	}
	return result;
}

static void wait_for_shutdown(void)
{
	pthread_mutex_lock(&state.lock);
	while (!state.client_closed || !state.server_closed)
		pthread_cond_wait(&state.changed, &state.lock);
	pthread_mutex_unlock(&state.lock);
}

int main(int argc, char **argv)
{
	struct socket *server = NULL, *client = NULL;
	long seconds = 30;
	int option, ok = 0;

	while ((option = getopt(argc, argv, "n:l:t:")) != -1) {
		switch (option) {
		case 'n': count = (unsigned long)number(optarg, 1, 10000000); break;
		case 'l': length = (size_t)number(optarg, 1, MAX_LENGTH); break;
		case 't': seconds = number(optarg, 0, 86400); break;
		default: usage();
		}
	}
	if (optind != argc)
		usage();
	state.seen = calloc(count, 1);
	if (state.seen == NULL) {
		fprintf(stderr, "%s: out of memory\n", program);
		return 1;
	}
	if (seconds > 0) {
		signal(SIGALRM, on_alarm);
		alarm((unsigned)seconds);
	}

	/* UDP port 0: no UDP encapsulation, AF_CONN only. */
	usrsctp_init(0, conn_output, NULL);
	if (pthread_create(&wire.thread, NULL, wire_run, &wire) != 0) {
		fprintf(stderr, "%s: pthread_create failed\n", program);
		return 1;
	}
	usrsctp_register_address(&wire);

	server = open_server();
	if (server != NULL)
		client = open_client();
	if (client != NULL) {
		printf("connected: port %d to port %d over AF_CONN\n", CLIENT_PORT, SERVER_PORT);
		ok = send_messages(client) == 0;
		printf("%lu of %lu answers matched (%zu bytes each)\n", state.answers, count,
		       length);
		/* A graceful end: SHUTDOWN, SHUTDOWN ACK, SHUTDOWN COMPLETE go over the wire. */
		if (usrsctp_shutdown(client, SHUT_WR) == 0) {
			wait_for_shutdown();
			printf("association shut down\n");
		} else {
			fprintf(stderr, "%s: usrsctp_shutdown: %s\n", program, strerror(errno));
			ok = 0;
		}
	}
	if (client != NULL)
		usrsctp_close(client);
	if (server != NULL)
		usrsctp_close(server);
	usrsctp_deregister_address(&wire);
	wire_close(&wire);
	if (finish() < 0)
		ok = 0;
	free(state.seen);
	printf("%s\n", ok ? "ok" : "FAILED");
	return ok ? 0 : 1;
}
