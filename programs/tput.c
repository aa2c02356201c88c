/*
 * tput: measures SCTP throughput over UDP encapsulation (RFC 6951), in the spirit of tsctp.
 * A client sends messages as fast as the association takes them; a server counts them.
 *
 *   server: tput -s [-b address] [-u udp_port] [-p sctp_port] [-B bytes] [-c count] [-t seconds]
 *   client: tput [-b address] [-u udp_port] [-p sctp_port] [-B bytes] [-t seconds]
 *                [-l length] [-n count | -T seconds] [-U] [-N] server_address server_udp_port
 *
 *   -s              run as the server
 *   -b address      local address to bind (server default ::, which takes IPv4 peers too;
 *                   client default: the wildcard)
 *   -u udp_port     local UDP port of the encapsulation (default 9899 server, 9900 client)
 *   -p sctp_port    SCTP port (default 5001)
 *   -B bytes        SO_SNDBUF and SO_RCVBUF (default: the library's)
 *   -c count        server: exit after count connections (default 0: serve forever)
 *   -t seconds      give up after this long, exit status 2 (default 0 for the server: no
 *                   limit; for the client 60 more than the sending time, or 300 with -n)
 *   -l length       bytes per message (default 1024)
 *   -n count        messages to send (default 10000)
 *   -T seconds      send for this long instead of a number of messages
 *   -U              send unordered messages
 *   -N              SCTP_NODELAY: send at once instead of waiting to fill packets
 *   server_address  the server's IPv4 or IPv6 address
 *   server_udp_port the UDP port the server's stack listens on (tput -s -u)
 *
 * The client's clock runs from the first message until the association is shut down, that is
 * until the server has acknowledged everything; the server's runs from the first message it
 * receives until the end of the association. Both print messages/s and Mbit/s.
 * Exit status: 0 on success, 1 on an error, 2 at the time limit.
 */
#define _POSIX_C_SOURCE 200809L

#include <arpa/inet.h>
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <usrsctp.h>

#define BUFFER_SIZE 65536 /* receive buffer; also the largest message */

static const char *program = "tput";

#include "common.h"

struct options {
	int server;
	const char *bind_text;
	long udp_port, sctp_port, buffer, count, seconds;
	long length, messages, duration;
	int unordered, nodelay;
};

static void usage(void)
{
	fprintf(stderr,
		"usage: %s -s [-b address] [-u udp_port] [-p sctp_port] [-B bytes] [-c count] "
		"[-t seconds]\n"
		"       %s [-b address] [-u udp_port] [-p sctp_port] [-B bytes] [-t seconds]\n"
		"            [-l length] [-n count | -T seconds] [-U] [-N] server_address "
		"server_udp_port\n", program, program);
	exit(1);
}

static void report(const char *what, unsigned long messages, unsigned long long bytes,
		   double seconds)
{
	if (seconds <= 0.0)
		seconds = 1e-9;
	printf("%s %lu messages, %llu bytes in %.3f s: %.0f messages/s, %.1f Mbit/s\n", what,
	       messages, bytes, seconds, (double)messages / seconds,
	       (double)bytes * 8.0 / seconds / 1e6);
	fflush(stdout);
}

static int set_option(struct socket *sock, int level, int name, int value, const char *what)
{
	if (usrsctp_setsockopt(sock, level, name, &value, sizeof(value)) < 0) {
		fprintf(stderr, "%s: setsockopt %s: %s\n", program, what, strerror(errno));
		return -1;
	}
	return 0;
}

/* Options common to both sides, set before bind. */
static int set_common_options(struct socket *sock, const struct options *o)
{
	if (o->buffer > 0 &&
	    (set_option(sock, SOL_SOCKET, SO_SNDBUF, (int)o->buffer, "SO_SNDBUF") < 0 ||
	     set_option(sock, SOL_SOCKET, SO_RCVBUF, (int)o->buffer, "SO_RCVBUF") < 0))
		return -1;
	if (o->nodelay && set_option(sock, IPPROTO_SCTP, SCTP_NODELAY, 1, "SCTP_NODELAY") < 0)
		return -1;
	return 0;
}

/* usrsctp_recvv without the details. libusrsctp writes through info_length and info_type
 * whether or not it has anything to say, so they must not be NULL. */
static ssize_t receive(struct socket *sock, void *buf, size_t size, int *flags)
{
	struct sctp_rcvinfo info;
	socklen_t info_length = sizeof(info);
	unsigned int info_type = 0;

	*flags = 0;
	return usrsctp_recvv(sock, buf, size, NULL, NULL, &info, &info_length, &info_type, flags);
}

/* Counts what one association delivers until the peer shuts it down. */
static int receive_all(struct socket *sock)
{
	static char buf[BUFFER_SIZE];
	unsigned long messages = 0;
	unsigned long long bytes = 0;
	double start = 0.0;
	ssize_t n;

	for (;;) {
		int flags;

		n = receive(sock, buf, sizeof(buf), &flags);
		if (n <= 0)
			break;
		if (flags & MSG_NOTIFICATION)
			continue;
		if (bytes == 0)
			start = now();
		bytes += (unsigned long long)n;
		if (flags & MSG_EOR)
			messages++;
	}
	if (n < 0) {
		fprintf(stderr, "%s: usrsctp_recvv: %s\n", program, strerror(errno));
		return -1;
	}
	report("received", messages, bytes, bytes > 0 ? now() - start : 0.0);
	return 0;
}

static int run_server(const struct options *o)
{
	struct sockaddr_storage address;
	socklen_t address_length;
	struct socket *listener;
	long served;
	int result = 0;

	address_length = make_address(o->bind_text ? o->bind_text : "::", (uint16_t)o->sctp_port,
				      &address);
	if (address_length == 0) {
		fprintf(stderr, "%s: %s is not an IPv4 or IPv6 address\n", program, o->bind_text);
		return -1;
	}
	listener = usrsctp_socket(address.ss_family, SOCK_STREAM, IPPROTO_SCTP, NULL, NULL, 0,
				  NULL);
	if (listener == NULL) {
		fprintf(stderr, "%s: usrsctp_socket: %s\n", program, strerror(errno));
		return -1;
	}
	/* Options of the listening socket carry over to the sockets accept returns. */
	if (set_common_options(listener, o) < 0)
		result = -1;
	else if (usrsctp_bind(listener, (struct sockaddr *)&address, address_length) < 0 ||
		 usrsctp_listen(listener, 1) < 0) {
		fprintf(stderr, "%s: bind/listen: %s\n", program, strerror(errno));
		result = -1;
	}
	if (result == 0) {
		printf("listening on SCTP port %ld over UDP port %ld\n", o->sctp_port, o->udp_port);
		fflush(stdout);
	}
	for (served = 0; result == 0 && (o->count == 0 || served < o->count); served++) {
		struct socket *sock = usrsctp_accept(listener, NULL, NULL);

		if (sock == NULL) {
			fprintf(stderr, "%s: usrsctp_accept: %s\n", program, strerror(errno));
			result = -1;
			break;
		}
		result = receive_all(sock);
		usrsctp_close(sock);
	}
	usrsctp_close(listener);
	return result;
}

/* Sends until the count or the duration is reached; returns the number of messages sent. */
static unsigned long send_all(struct socket *sock, const struct options *o, double start)
{
	static char buf[BUFFER_SIZE];
	struct sctp_sndinfo info;
	unsigned long sent = 0;

	memset(buf, 'x', (size_t)o->length);
	memset(&info, 0, sizeof(info));
	info.snd_flags = o->unordered ? SCTP_UNORDERED : 0;
	for (;;) {
		if (o->duration > 0 ? now() - start >= (double)o->duration
				    : sent >= (unsigned long)o->messages)
			break;
		/* A blocking socket: usrsctp_sendv waits while the send buffer is full. */
		if (usrsctp_sendv(sock, buf, (size_t)o->length, NULL, 0, &info, sizeof(info),
				  SCTP_SENDV_SNDINFO, 0) < 0) {
			fprintf(stderr, "%s: usrsctp_sendv: %s\n", program, strerror(errno));
			break;
		}
		sent++;
	}
	return sent;
}

static int run_client(const struct options *o, const char *server_text, long server_udp_port)
{
	struct sockaddr_storage server, local;
	socklen_t server_length, local_length;
	struct sctp_udpencaps encaps;
	struct socket *sock;
	unsigned long sent;
	double start;
	char byte;
	int flags, result = 0;

	server_length = make_address(server_text, (uint16_t)o->sctp_port, &server);
	if (server_length == 0) {
		fprintf(stderr, "%s: %s is not an IPv4 or IPv6 address\n", program, server_text);
		return -1;
	}
	sock = usrsctp_socket(server.ss_family, SOCK_STREAM, IPPROTO_SCTP, NULL, NULL, 0, NULL);
	if (sock == NULL) {
		fprintf(stderr, "%s: usrsctp_socket: %s\n", program, strerror(errno));
		return -1;
	}
	memset(&encaps, 0, sizeof(encaps));
	encaps.sue_port = htons((uint16_t)server_udp_port);
	if (set_common_options(sock, o) < 0)
		result = -1;
	else if (usrsctp_setsockopt(sock, IPPROTO_SCTP, SCTP_REMOTE_UDP_ENCAPS_PORT, &encaps,
				    sizeof(encaps)) < 0) {
		fprintf(stderr, "%s: setsockopt SCTP_REMOTE_UDP_ENCAPS_PORT: %s\n", program,
			strerror(errno));
		result = -1;
	}
	if (result == 0 && o->bind_text != NULL) {
		local_length = make_address(o->bind_text, 0, &local);
		if (local_length == 0 || usrsctp_bind(sock, (struct sockaddr *)&local,
						      local_length) < 0) {
			fprintf(stderr, "%s: cannot bind %s\n", program, o->bind_text);
			result = -1;
		}
	}
	if (result == 0 && usrsctp_connect(sock, (struct sockaddr *)&server, server_length) < 0) {
		fprintf(stderr, "%s: usrsctp_connect: %s\n", program, strerror(errno));
		result = -1;
	}
	if (result == 0) {
		start = now();
		sent = send_all(sock, o, start);
		if (o->duration == 0 && sent < (unsigned long)o->messages)
			result = -1;
		/* recvv returns 0 once the server has acknowledged everything and the
		 * association is closed: the clock stops then. */
		if (usrsctp_shutdown(sock, SHUT_WR) < 0) {
			fprintf(stderr, "%s: usrsctp_shutdown: %s\n", program, strerror(errno));
			result = -1;
		} else if (receive(sock, &byte, 1, &flags) != 0) {
			fprintf(stderr, "%s: the association did not end cleanly\n", program);
			result = -1;
		}
		printf("%s messages of %ld bytes%s\n", o->unordered ? "unordered" : "ordered",
		       o->length, o->nodelay ? ", SCTP_NODELAY" : "");
		report("sent", sent, (unsigned long long)sent * (unsigned long long)o->length,
		       now() - start);
	}
	usrsctp_close(sock);
	return result;
}

int main(int argc, char **argv)
{
	struct options o = { .sctp_port = 5001, .seconds = -1, .length = 1024, .messages = 10000 };
	long server_udp_port = 0;
	int option, result;

	while ((option = getopt(argc, argv, "sb:u:p:B:c:t:l:n:T:UN")) != -1) {
		switch (option) {
		case 's': o.server = 1; break;
		case 'b': o.bind_text = optarg; break;
		case 'u': o.udp_port = number(optarg, 1, 65535); break;
		case 'p': o.sctp_port = number(optarg, 1, 65535); break;
		case 'B': o.buffer = number(optarg, 1024, 1L << 30); break;
		case 'c': o.count = number(optarg, 0, 1000000); break;
		case 't': o.seconds = number(optarg, 0, 86400); break;
		case 'l': o.length = number(optarg, 1, BUFFER_SIZE); break;
		case 'n': o.messages = number(optarg, 1, 1L << 40); break;
		case 'T': o.duration = number(optarg, 1, 86400); break;
		case 'U': o.unordered = 1; break;
		case 'N': o.nodelay = 1; break;
		default: usage();
		}
	}
	if (o.server ? optind != argc : argc - optind != 2)
		usage();
	if (!o.server)
		server_udp_port = number(argv[optind + 1], 1, 65535);
	if (o.udp_port == 0)
		o.udp_port = o.server ? 9899 : 9900;
	if (o.seconds < 0)
		o.seconds = o.server ? 0 : o.duration > 0 ? o.duration + 60 : 300;
	if (o.seconds > 0) {
		signal(SIGALRM, on_alarm);
		alarm((unsigned)o.seconds);
	}

	usrsctp_init((uint16_t)o.udp_port, NULL, NULL);
	result = o.server ? run_server(&o) : run_client(&o, argv[optind], server_udp_port);
	if (finish() < 0)
		result = -1;
	return result == 0 ? 0 : 1;
}
