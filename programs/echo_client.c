/*
 * echo_client: sends messages to echo_server over SCTP over UDP (RFC 6951) and checks that each
 * comes back unchanged, on the stream and with the PPID it was sent with.
 *
 *   echo_client [-b address] [-u udp_port] [-p sctp_port] [-n count] [-l length] [-t seconds]
 *               server_address server_udp_port
 *
 *   -b address      local address to bind (default: the wildcard, every address of this host)
 *   -u udp_port     local UDP port of the encapsulation (default 9900)
 *   -p sctp_port    the server's SCTP port (default 7)
 *   -n count        number of messages (default 10)
 *   -l length       bytes per message, 1 to 65536 (default 100)
 *   -t seconds      give up after this long, exit status 2 (default 30)
 *   server_address  the server's IPv4 or IPv6 address
 *   server_udp_port the UDP port the server's stack listens on (echo_server -u)
 *
 * Messages go one at a time: send, wait for the echo, compare. Exit status: 0 when every echo
 * matched, 1 otherwise, 2 at the time limit.
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

#define MAX_MESSAGE 65536
#define STREAMS 4 /* outbound streams asked for; message i goes on stream i % STREAMS */

static const char *program = "echo_client";

#include "common.h"

static void usage(void)
{
	fprintf(stderr, "usage: %s [-b address] [-u udp_port] [-p sctp_port] [-n count] "
			"[-l length] [-t seconds] server_address server_udp_port\n", program);
	exit(1);
}

/* Message i: a byte pattern that differs from one message to the next. */
static void fill_message(char *buf, size_t length, unsigned long i)
{
	size_t k;

	for (k = 0; k < length; k++)
		buf[k] = (char)('a' + (i + k) % 26);
}

/*
 * Reads one whole message, or one notification, into buf. usrsctp_recvv hands over a large
 * message in pieces; MSG_EOR marks the last one. Returns the length, 0 when the association has
 * been shut down, -1 on an error.
 */
static ssize_t receive_message(struct socket *sock, char *buf, size_t size,
			       struct sctp_rcvinfo *info, int *flags)
{
	size_t length = 0;

	for (;;) {
		socklen_t info_length = sizeof(*info);
		unsigned int info_type = 0;
		ssize_t n;

		*flags = 0;
		memset(info, 0, sizeof(*info));
		n = usrsctp_recvv(sock, buf + length, size - length, NULL, NULL, info, &info_length,
				  &info_type, flags);
		if (n <= 0)
			return n;
		length += (size_t)n;
		if (*flags & MSG_EOR)
			return (ssize_t)length;
		if (length == size) {
			errno = EMSGSIZE;
			return -1;
		}
	}
}

/* Sends message i and waits for its echo. Returns 1 when the echo matched, 0 when it did not,
 * -1 when the association failed. */
static int exchange(struct socket *sock, char *out, char *in, size_t length, unsigned long i)
{
	struct sctp_sndinfo send_info;
	struct sctp_rcvinfo info;
	ssize_t n;
	int flags;

	fill_message(out, length, i);
	memset(&send_info, 0, sizeof(send_info));
	send_info.snd_sid = (uint16_t)(i % STREAMS);
	send_info.snd_ppid = htonl((uint32_t)(1000 + i)); /* PPIDs travel in network byte order */
	if (usrsctp_sendv(sock, out, length, NULL, 0, &send_info, sizeof(send_info),
			  SCTP_SENDV_SNDINFO, 0) < 0) {
		fprintf(stderr, "%s: usrsctp_sendv: %s\n", program, strerror(errno));
		return -1;
	}
	do {
		n = receive_message(sock, in, MAX_MESSAGE, &info, &flags);
	} while (n > 0 && (flags & MSG_NOTIFICATION));
	if (n <= 0) {
		fprintf(stderr, "%s: usrsctp_recvv: %s\n", program,
			n == 0 ? "the association ended" : strerror(errno));
		return -1;
	}
	if ((size_t)n != length || memcmp(in, out, length) != 0) {
		fprintf(stderr, "%s: echo %lu: %zd bytes, not the %zu sent\n", program, i, n, length);
		return 0;
	}
	if (info.rcv_sid != send_info.snd_sid || info.rcv_ppid != send_info.snd_ppid) {
		fprintf(stderr, "%s: echo %lu: stream %u PPID %u, sent on stream %u PPID %u\n",
			program, i, info.rcv_sid, ntohl(info.rcv_ppid), send_info.snd_sid,
			ntohl(send_info.snd_ppid));
		return 0;
	}
	return 1;
}

/* Connects sock to the server, asking for STREAMS outbound streams and UDP encapsulation
 * towards the server's UDP port. */
static int connect_to_server(struct socket *sock, const char *bind_text,
			     const struct sockaddr_storage *server, socklen_t server_length,
			     uint16_t server_udp_port)
{
	struct sctp_udpencaps encaps;
	struct sctp_initmsg init;
	struct sockaddr_storage local;
	socklen_t local_length;
	int on = 1;

	if (usrsctp_setsockopt(sock, IPPROTO_SCTP, SCTP_RECVRCVINFO, &on, sizeof(on)) < 0) {
		fprintf(stderr, "%s: setsockopt SCTP_RECVRCVINFO: %s\n", program, strerror(errno));
		return -1;
	}
	memset(&init, 0, sizeof(init));
	init.sinit_num_ostreams = STREAMS;
	if (usrsctp_setsockopt(sock, IPPROTO_SCTP, SCTP_INITMSG, &init, sizeof(init)) < 0) {
		fprintf(stderr, "%s: setsockopt SCTP_INITMSG: %s\n", program, strerror(errno));
		return -1;
	}
	/* No address and no association: the port applies to every peer address this socket
	 * will have. */
	memset(&encaps, 0, sizeof(encaps));
	encaps.sue_port = htons(server_udp_port);
	if (usrsctp_setsockopt(sock, IPPROTO_SCTP, SCTP_REMOTE_UDP_ENCAPS_PORT, &encaps,
			       sizeof(encaps)) < 0) {
		fprintf(stderr, "%s: setsockopt SCTP_REMOTE_UDP_ENCAPS_PORT: %s\n", program,
			strerror(errno));
		return -1;
	}
	if (bind_text != NULL) {
		local_length = make_address(bind_text, 0, &local);
		if (local_length == 0 || local.ss_family != server->ss_family) {
			fprintf(stderr, "%s: %s is not an address of the server's family\n", program,
				bind_text);
			return -1;
		}
		if (usrsctp_bind(sock, (struct sockaddr *)&local, local_length) < 0) {
			fprintf(stderr, "%s: usrsctp_bind: %s\n", program, strerror(errno));
			return -1;
		}
	}
	if (usrsctp_connect(sock, (struct sockaddr *)server, server_length) < 0) {
		fprintf(stderr, "%s: usrsctp_connect: %s\n", program, strerror(errno));
		return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	const char *bind_text = NULL;
	long udp_port = 9900, sctp_port = 7, count = 10, length = 100, seconds = 30;
	long server_udp_port;
	unsigned long i, matched = 0;
	static char out[MAX_MESSAGE], in[MAX_MESSAGE];
	struct sockaddr_storage server;
	socklen_t server_length;
	struct sctp_rcvinfo info;
	struct socket *sock;
	double start, elapsed;
	int option, result, flags;

	while ((option = getopt(argc, argv, "b:u:p:n:l:t:")) != -1) {
		switch (option) {
		case 'b': bind_text = optarg; break;
		case 'u': udp_port = number(optarg, 1, 65535); break;
		case 'p': sctp_port = number(optarg, 1, 65535); break;
		case 'n': count = number(optarg, 1, 100000000); break;
		case 'l': length = number(optarg, 1, MAX_MESSAGE); break;
		case 't': seconds = number(optarg, 0, 86400); break;
		default: usage();
		}
	}
	if (argc - optind != 2)
		usage();
	server_length = make_address(argv[optind], (uint16_t)sctp_port, &server);
	if (server_length == 0) {
		fprintf(stderr, "%s: %s is not an IPv4 or IPv6 address\n", program, argv[optind]);
		usage();
	}
	server_udp_port = number(argv[optind + 1], 1, 65535);
	if (seconds > 0) {
		signal(SIGALRM, on_alarm);
		alarm((unsigned)seconds);
	}

	usrsctp_init((uint16_t)udp_port, NULL, NULL);

	sock = usrsctp_socket(server.ss_family, SOCK_STREAM, IPPROTO_SCTP, NULL, NULL, 0, NULL);
	if (sock == NULL) {
		fprintf(stderr, "%s: usrsctp_socket: %s\n", program, strerror(errno));
		finish();
		return 1;
	}
	if (connect_to_server(sock, bind_text, &server, server_length,
			      (uint16_t)server_udp_port) == 0) {
		printf("connected to %s port %ld over UDP port %ld\n", argv[optind], sctp_port,
		       server_udp_port);
		fflush(stdout);
		start = now();
		for (i = 0; i < (unsigned long)count; i++) {
			result = exchange(sock, out, in, (size_t)length, i);
			if (result < 0)
				break;
			matched += (unsigned long)result;
		}
		elapsed = now() - start;
		printf("%lu of %ld echoes matched (%ld bytes each), %.3f ms per round trip\n",
		       matched, count, length, i > 0 ? elapsed * 1000.0 / (double)i : 0.0);
		/* Shut down gracefully: recvv returns 0 once the server has acknowledged
		 * everything and the association is closed. */
		if (usrsctp_shutdown(sock, SHUT_WR) < 0)
			fprintf(stderr, "%s: usrsctp_shutdown: %s\n", program, strerror(errno));
		else
			while (receive_message(sock, in, sizeof(in), &info, &flags) > 0)
				;
	}
	usrsctp_close(sock);
	if (finish() < 0)
		return 1;
	return matched == (unsigned long)count ? 0 : 1;
}
