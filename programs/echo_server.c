/*
 * echo_server: sends every SCTP message back to its sender, on the same stream, with the same
 * payload protocol identifier (PPID).
 *
 * SCTP runs over UDP here (RFC 6951): the stack opens a UDP socket on a port of its own and
 * peers send their SCTP packets there, so neither kernel SCTP nor raw sockets are needed.
 * echo_client is the matching client.
 *
 *   echo_server [-b address] [-u udp_port] [-p sctp_port] [-1] [-c count] [-t seconds]
 *
 *   -b address    local address to bind (default ::, which takes IPv4 peers too; 0.0.0.0 for
 *                 IPv4 only). The wildcard gives the peer every address of this host.
 *   -u udp_port   local UDP port of the encapsulation (default 9899, IANA's sctp-tunneling)
 *   -p sctp_port  SCTP port to listen on (default 7)
 *   -1            one-to-one style: a SOCK_STREAM socket, one association at a time through
 *                 accept. Without it, a one-to-many SOCK_SEQPACKET socket serves all
 *                 associations at once.
 *   -c count      exit after count associations have ended (default 0: serve forever)
 *   -t seconds    give up after this long, exit status 2 (default 0: no limit)
 *
 * Exit status: 0 after count associations, 1 on an error, 2 at the time limit.
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

static const char *program = "echo_server";

#include "common.h"

static void usage(void)
{
	fprintf(stderr, "usage: %s [-b address] [-u udp_port] [-p sctp_port] [-1] [-c count] "
			"[-t seconds]\n", program);
	exit(1);
}

static const char *address_text(const struct sockaddr_storage *address, char *text, size_t size)
{
	const void *bytes = address->ss_family == AF_INET
		? (const void *)&((const struct sockaddr_in *)address)->sin_addr
		: (const void *)&((const struct sockaddr_in6 *)address)->sin6_addr;

	if (inet_ntop(address->ss_family, bytes, text, (socklen_t)size) == NULL)
		snprintf(text, size, "?");
	return text;
}

static int set_int_option(struct socket *sock, int name, int value, const char *what)
{
	if (usrsctp_setsockopt(sock, IPPROTO_SCTP, name, &value, sizeof(value)) < 0) {
		fprintf(stderr, "%s: setsockopt %s: %s\n", program, what, strerror(errno));
		return -1;
	}
	return 0;
}

/*
 * Reads one whole message, or one notification, into buf. usrsctp_recvv hands over a large
 * message in pieces; MSG_EOR marks the last one. Returns the length, 0 when the peer has shut
 * the association down (one-to-one sockets), -1 on an error.
 */
static ssize_t receive_message(struct socket *sock, char *buf, size_t size,
			       struct sockaddr_storage *from, struct sctp_rcvinfo *info,
			       int *flags)
{
	size_t length = 0;

	for (;;) {
		socklen_t from_length = sizeof(*from);
		socklen_t info_length = sizeof(*info);
		unsigned int info_type = 0;
		ssize_t n;

		*flags = 0;
		memset(info, 0, sizeof(*info));
		n = usrsctp_recvv(sock, buf + length, size - length, (struct sockaddr *)from,
				  &from_length, info, &info_length, &info_type, flags);
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

/* Sends buf back on the association, stream, PPID and ordering it arrived with. */
static int echo(struct socket *sock, const char *buf, size_t length,
		const struct sctp_rcvinfo *info)
{
	struct sctp_sndinfo send_info;

	memset(&send_info, 0, sizeof(send_info));
	send_info.snd_sid = info->rcv_sid;
	send_info.snd_ppid = info->rcv_ppid; /* opaque to SCTP: passed back unchanged */
	send_info.snd_assoc_id = info->rcv_assoc_id;
	if (info->rcv_flags & SCTP_UNORDERED)
		send_info.snd_flags = SCTP_UNORDERED;
	if (usrsctp_sendv(sock, buf, length, NULL, 0, &send_info, sizeof(send_info),
			  SCTP_SENDV_SNDINFO, 0) < 0) {
		fprintf(stderr, "%s: usrsctp_sendv: %s\n", program, strerror(errno));
		return -1;
	}
	return 0;
}

/* Returns 1 when the notification in buf ends an association. */
static int association_ended(const char *buf)
{
	const union sctp_notification *notification = (const union sctp_notification *)buf;
	const struct sctp_assoc_change *change = &notification->sn_assoc_change;

	if (notification->sn_header.sn_type != SCTP_ASSOC_CHANGE)
		return 0;
	switch (change->sac_state) {
	case SCTP_COMM_UP:
		printf("association %u up\n", (unsigned)change->sac_assoc_id);
		return 0;
	case SCTP_SHUTDOWN_COMP:
		printf("association %u shut down\n", (unsigned)change->sac_assoc_id);
		return 1;
	case SCTP_COMM_LOST:
		printf("association %u lost\n", (unsigned)change->sac_assoc_id);
		return 1;
	default:
		return 0;
	}
}

/* One-to-many: every association's messages and notifications arrive on the one socket. */
static int serve_one_to_many(struct socket *sock, long count)
{
	static char buf[MAX_MESSAGE];
	struct sockaddr_storage from;
	struct sctp_rcvinfo info;
	long ended = 0;
	int flags;

	while (count == 0 || ended < count) {
		ssize_t n = receive_message(sock, buf, sizeof(buf), &from, &info, &flags);

		if (n <= 0) {
			fprintf(stderr, "%s: usrsctp_recvv: %s\n", program,
				n == 0 ? "the socket was shut down" : strerror(errno));
			return -1;
		}
		if (flags & MSG_NOTIFICATION)
			ended += association_ended(buf);
		else if (echo(sock, buf, (size_t)n, &info) < 0)
			return -1;
		fflush(stdout);
	}
	return 0;
}

/* One-to-one: accept an association, echo until the peer shuts it down, close, repeat. */
static int serve_one_to_one(struct socket *listener, long count)
{
	static char buf[MAX_MESSAGE];
	struct sockaddr_storage from;
	struct sctp_rcvinfo info;
	char text[INET6_ADDRSTRLEN];
	long served;
	int flags;

	for (served = 0; count == 0 || served < count; served++) {
		socklen_t from_length = sizeof(from);
		struct socket *sock = usrsctp_accept(listener, (struct sockaddr *)&from, &from_length);
		unsigned long messages = 0;
		ssize_t n;

		if (sock == NULL) {
			fprintf(stderr, "%s: usrsctp_accept: %s\n", program, strerror(errno));
			return -1;
		}
		printf("accepted an association from %s\n", address_text(&from, text, sizeof(text)));
		fflush(stdout);
		while ((n = receive_message(sock, buf, sizeof(buf), &from, &info, &flags)) > 0) {
			if (flags & MSG_NOTIFICATION)
				continue;
			if (echo(sock, buf, (size_t)n, &info) < 0)
				break;
			messages++;
		}
		if (n < 0)
			fprintf(stderr, "%s: usrsctp_recvv: %s\n", program, strerror(errno));
		printf("association ended after %lu messages\n", messages);
		fflush(stdout);
		usrsctp_close(sock);
		if (n < 0)
			return -1;
	}
	return 0;
}

int main(int argc, char **argv)
{
	const char *bind_text = "::";
	long udp_port = 9899, sctp_port = 7, count = 0, seconds = 0;
	int one_to_one = 0, option, status;
	struct sockaddr_storage address;
	socklen_t address_length;
	struct sctp_event event;
	struct socket *sock;

	while ((option = getopt(argc, argv, "b:u:p:1c:t:")) != -1) {
		switch (option) {
		case 'b': bind_text = optarg; break;
		case 'u': udp_port = number(optarg, 1, 65535); break;
		case 'p': sctp_port = number(optarg, 1, 65535); break;
		case '1': one_to_one = 1; break;
		case 'c': count = number(optarg, 0, 1000000); break;
		case 't': seconds = number(optarg, 0, 86400); break;
		default: usage();
		}
	}
	if (optind != argc)
		usage();
	address_length = make_address(bind_text, (uint16_t)sctp_port, &address);
	if (address_length == 0) {
		fprintf(stderr, "%s: %s is not an IPv4 or IPv6 address\n", program, bind_text);
		usage();
	}
	if (seconds > 0) {
		signal(SIGALRM, on_alarm);
		alarm((unsigned)seconds);
	}

	usrsctp_init((uint16_t)udp_port, NULL, NULL);

	sock = usrsctp_socket(address.ss_family, one_to_one ? SOCK_STREAM : SOCK_SEQPACKET,
			      IPPROTO_SCTP, NULL, NULL, 0, NULL);
	if (sock == NULL) {
		fprintf(stderr, "%s: usrsctp_socket: %s\n", program, strerror(errno));
		finish();
		return 1;
	}
	/* Options set on a listening socket carry over to the sockets accept returns. */
	status = set_int_option(sock, SCTP_RECVRCVINFO, 1, "SCTP_RECVRCVINFO");
	/* A message may arrive in pieces; level 0 keeps other associations' pieces out of the
	 * middle of it, which matters on a one-to-many socket. */
	if (status == 0)
		status = set_int_option(sock, SCTP_FRAGMENT_INTERLEAVE, 0, "SCTP_FRAGMENT_INTERLEAVE");
	memset(&event, 0, sizeof(event));
	event.se_assoc_id = SCTP_FUTURE_ASSOC;
	event.se_type = SCTP_ASSOC_CHANGE;
	event.se_on = 1;
	if (status == 0 &&
	    usrsctp_setsockopt(sock, IPPROTO_SCTP, SCTP_EVENT, &event, sizeof(event)) < 0) {
		fprintf(stderr, "%s: setsockopt SCTP_EVENT: %s\n", program, strerror(errno));
		status = -1;
	}
	if (status == 0 && usrsctp_bind(sock, (struct sockaddr *)&address, address_length) < 0) {
		fprintf(stderr, "%s: usrsctp_bind: %s\n", program, strerror(errno));
		status = -1;
	}
	if (status == 0 && usrsctp_listen(sock, 16) < 0) {
		fprintf(stderr, "%s: usrsctp_listen: %s\n", program, strerror(errno));
		status = -1;
	}
	if (status == 0) {
		printf("listening on SCTP port %ld of %s, over UDP port %ld (%s)\n", sctp_port,
		       bind_text, udp_port, one_to_one ? "one-to-one" : "one-to-many");
		fflush(stdout);
		status = one_to_one ? serve_one_to_one(sock, count) : serve_one_to_many(sock, count);
	}
	usrsctp_close(sock);
	if (finish() < 0)
		status = -1;
	return status == 0 ? 0 : 1;
}
