/*
 * One side of tests/auth_vs_libusrsctp.rs: an SCTP endpoint over UDP encapsulation on 127.0.0.1
 * that requires DATA to be authenticated (SCTP_AUTH_CHUNK), uses shared key 1 given on the
 * command line (SCTP_AUTH_KEY, SCTP_AUTH_ACTIVE_KEY) and exchanges messages.
 *
 *   auth_peer server <udp port> <peer udp port> <key> <messages>
 *   auth_peer client <udp port> <peer udp port> <key> <messages>
 *
 * The client sends <messages> messages "ping N"; the server answers each with "pong N". Both
 * print what they read, one line each: "recv TEXT", "auth KEY/INDICATION" for an
 * SCTP_AUTHENTICATION_EVENT, "peer-chunks T..." once connected, and "done" after the last
 * expected message. Built against /usr/include/usrsctp.h; run on either library.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <usrsctp.h>

#define SCTP_PORT 5001

static void die(const char *what)
{
	printf("error %s: %s\n", what, strerror(errno));
	exit(1);
}

static void require_auth(struct socket *so, const char *key)
{
	struct sctp_authchunk chunk;
	unsigned char buf[256];
	struct sctp_authkey *k = (struct sctp_authkey *)buf;
	struct sctp_authkeyid active;
	struct sctp_event ev;
	size_t len = strlen(key);

	chunk.sauth_chunk = 0; /* DATA */
	if (usrsctp_setsockopt(so, IPPROTO_SCTP, SCTP_AUTH_CHUNK, &chunk, sizeof(chunk)) != 0)
		die("SCTP_AUTH_CHUNK");
	k->sca_assoc_id = SCTP_FUTURE_ASSOC;
	k->sca_keynumber = 1;
	k->sca_keylength = (uint16_t)len;
	memcpy(k->sca_key, key, len);
	if (usrsctp_setsockopt(so, IPPROTO_SCTP, SCTP_AUTH_KEY, buf, (socklen_t)(sizeof(*k) + len)) != 0)
		die("SCTP_AUTH_KEY");
	active.scact_assoc_id = SCTP_FUTURE_ASSOC;
	active.scact_keynumber = 1;
	if (usrsctp_setsockopt(so, IPPROTO_SCTP, SCTP_AUTH_ACTIVE_KEY, &active, sizeof(active)) != 0)
		die("SCTP_AUTH_ACTIVE_KEY");
	memset(&ev, 0, sizeof(ev));
	ev.se_assoc_id = SCTP_FUTURE_ASSOC;
	ev.se_on = 1;
	ev.se_type = SCTP_AUTHENTICATION_EVENT;
	if (usrsctp_setsockopt(so, IPPROTO_SCTP, SCTP_EVENT, &ev, sizeof(ev)) != 0)
		die("SCTP_EVENT");
}

static void encapsulate(struct socket *so, uint16_t peer_udp)
{
	struct sctp_udpencaps encaps;

	memset(&encaps, 0, sizeof(encaps));
	encaps.sue_address.ss_family = AF_INET;
	encaps.sue_port = htons(peer_udp);
	if (usrsctp_setsockopt(so, IPPROTO_SCTP, SCTP_REMOTE_UDP_ENCAPS_PORT, &encaps, sizeof(encaps)) != 0)
		die("SCTP_REMOTE_UDP_ENCAPS_PORT");
}

static void print_peer_chunks(struct socket *so)
{
	unsigned char buf[300];
	socklen_t len = sizeof(buf);
	struct sctp_authchunks *c = (struct sctp_authchunks *)buf;

	c->gauth_assoc_id = 0;
	if (usrsctp_getsockopt(so, IPPROTO_SCTP, SCTP_PEER_AUTH_CHUNKS, buf, &len) != 0)
		die("SCTP_PEER_AUTH_CHUNKS");
	printf("peer-chunks");
	/* The association id, the 32-bit count libusrsctp writes, then the chunk types. */
	for (socklen_t i = 8; i < len; i++)
		printf(" %02x", buf[i]);
	printf("\n");
}

/* Reads one message or notification; returns the data length (0 for a notification). */
static ssize_t read_one(struct socket *so, char *text, size_t size)
{
	char buf[2048];
	struct sctp_rcvinfo info;
	socklen_t fromlen, infolen = sizeof(info);
	struct sockaddr_in from;
	unsigned int infotype = 0;
	int flags = 0;
	ssize_t n;

	fromlen = sizeof(from);
	n = usrsctp_recvv(so, buf, sizeof(buf) - 1, (struct sockaddr *)&from, &fromlen, &info, &infolen,
	                  &infotype, &flags);
	if (n <= 0)
		return -1;
	if (flags & MSG_NOTIFICATION) {
		union sctp_notification *note = (union sctp_notification *)buf;

		if (note->sn_header.sn_type == SCTP_AUTHENTICATION_EVENT)
			printf("auth %u/%u\n", note->sn_auth_event.auth_keynumber,
			       note->sn_auth_event.auth_indication);
		return 0;
	}
	buf[n] = '\0';
	printf("recv %s\n", buf);
	snprintf(text, size, "%s", buf);
	return n;
}

int main(int argc, char **argv)
{
	struct socket *so, *conn;
	struct sockaddr_in addr;
	int server, messages, got = 0;
	char text[256];

	if (argc != 6) {
		fprintf(stderr, "usage: %s server|client <udp port> <peer udp port> <key> <messages>\n", argv[0]);
		return 2;
	}
	setvbuf(stdout, NULL, _IOLBF, 0);
	server = strcmp(argv[1], "server") == 0;
	messages = atoi(argv[5]);
	usrsctp_init((uint16_t)atoi(argv[2]), NULL, NULL);
	usrsctp_sysctl_set_sctp_blackhole(2);
	if ((so = usrsctp_socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP, NULL, NULL, 0, NULL)) == NULL)
		die("usrsctp_socket");
	require_auth(so, argv[4]);
	encapsulate(so, (uint16_t)atoi(argv[3]));
	memset(&addr, 0, sizeof(addr));
	addr.sin_family = AF_INET;
	addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (server) {
		addr.sin_port = htons(SCTP_PORT);
		if (usrsctp_bind(so, (struct sockaddr *)&addr, sizeof(addr)) != 0)
			die("bind");
		if (usrsctp_listen(so, 1) != 0)
			die("listen");
		printf("listening\n");
		if ((conn = usrsctp_accept(so, NULL, NULL)) == NULL)
			die("accept");
		print_peer_chunks(conn);
		while (got < messages) {
			ssize_t n = read_one(conn, text, sizeof(text));

			if (n < 0)
				break;
			if (n > 0) {
				char reply[300];

				got++;
				snprintf(reply, sizeof(reply), "pong %s", text + 5);
				if (usrsctp_sendv(conn, reply, strlen(reply), NULL, 0, NULL, 0, SCTP_SENDV_NOINFO, 0) < 0)
					die("sendv");
			}
		}
	} else {
		addr.sin_port = htons(SCTP_PORT);
		if (usrsctp_connect(so, (struct sockaddr *)&addr, sizeof(addr)) != 0)
			die("connect");
		conn = so;
		print_peer_chunks(conn);
		for (int i = 1; i <= messages; i++) {
			snprintf(text, sizeof(text), "ping %d", i);
			if (usrsctp_sendv(conn, text, strlen(text), NULL, 0, NULL, 0, SCTP_SENDV_NOINFO, 0) < 0)
				die("sendv");
		}
		while (got < messages) {
			ssize_t n = read_one(conn, text, sizeof(text));

			if (n < 0)
				break;
			if (n > 0)
				got++;
		}
	}
	if (got == messages)
		printf("done\n");
	/* Let the last SACKs go out before the association ends. */
	sleep(1);
	usrsctp_close(conn);
	if (conn != so)
		usrsctp_close(so);
	return got == messages ? 0 : 1;
}
