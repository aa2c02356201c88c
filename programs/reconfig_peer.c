/*
 * reconfig_peer: one end of a WebRTC-style data channel close over SCTP stream reconfiguration
 * (RFC 6525), for running our library against another libusrsctp.
 *
 * SCTP runs over UDP encapsulation on 127.0.0.1. Both ends send three messages on stream 1, then
 * the closer resets its outgoing stream 1; the other end, told by SCTP_STREAM_RESET_EVENT that
 * its incoming stream 1 was reset, resets its own outgoing stream 1, as a data channel stack
 * does. Once both directions are reset, each end sends one more message on stream 1 (a new
 * channel on the same stream) and checks that the peer's one arrives with SSN 0. Every step is
 * printed on its own line; the exit status is 0 when everything happened.
 *
 *   reconfig_peer -r server|client -c server|client [-u udp_port] [-U peer_udp_port]
 *                 [-p sctp_port] [-t seconds]
 *
 *   -r role          this end: the server listens, the client connects
 *   -c closer        the end that resets its stream first
 *   -u udp_port      local UDP port of the encapsulation (default 9900 for the server, 9901 for
 *                    the client)
 *   -U peer_udp_port the peer's (default: the other of the two)
 *   -p sctp_port     the server's SCTP port (default 5001)
 *   -t seconds       time limit, exit status 2 (default 30)
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

static const char *program = "reconfig_peer";

#include "common.h"

#define STREAM 1
#define PRE_MESSAGES 3

static void usage(void)
{
	fprintf(stderr, "usage: %s -r server|client -c server|client [-u udp_port] "
			"[-U peer_udp_port] [-p sctp_port] [-t seconds]\n", program);
	exit(1);
}

static void sleep_ms(long ms)
{
	struct timespec pause = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&pause, NULL);
}

static void die(const char *what)
{
	printf("error: %s: %s\n", what, strerror(errno));
	exit(1);
}

static void set_option(struct socket *sock, int name, const void *value, socklen_t length,
		       const char *what)
{
	if (usrsctp_setsockopt(sock, IPPROTO_SCTP, name, value, length) < 0)
		die(what);
}

/* What a socket needs: SCTP_RECVRCVINFO, stream reset notifications, and acceptance of the
 * peer's stream resets (SCTP_ENABLE_RESET_STREAM_REQ, as data channel stacks set it). */
static void prepare(struct socket *sock, uint16_t peer_udp_port)
{
	struct sctp_udpencaps encaps;
	struct sctp_assoc_value av;
	struct sctp_event event;
	int on = 1;

	set_option(sock, SCTP_RECVRCVINFO, &on, sizeof(on), "SCTP_RECVRCVINFO");
	memset(&event, 0, sizeof(event));
	event.se_assoc_id = SCTP_FUTURE_ASSOC;
	event.se_type = SCTP_STREAM_RESET_EVENT;
	event.se_on = 1;
	set_option(sock, SCTP_EVENT, &event, sizeof(event), "SCTP_EVENT");
	memset(&av, 0, sizeof(av));
	av.assoc_id = SCTP_FUTURE_ASSOC;
	av.assoc_value = SCTP_ENABLE_RESET_STREAM_REQ;
	set_option(sock, SCTP_ENABLE_STREAM_RESET, &av, sizeof(av), "SCTP_ENABLE_STREAM_RESET");
	memset(&encaps, 0, sizeof(encaps));
	encaps.sue_port = htons(peer_udp_port);
	set_option(sock, SCTP_REMOTE_UDP_ENCAPS_PORT, &encaps, sizeof(encaps),
		   "SCTP_REMOTE_UDP_ENCAPS_PORT");
}

/* Sends text on STREAM, waiting while the stack says EAGAIN (a reset in progress). */
static void send_text(struct socket *sock, const char *text)
{
	struct sctp_sndinfo info;
	double give_up = now() + 10;

	memset(&info, 0, sizeof(info));
	info.snd_sid = STREAM;
	info.snd_ppid = htonl(51);
	while (usrsctp_sendv(sock, text, strlen(text), NULL, 0, &info, sizeof(info),
			     SCTP_SENDV_SNDINFO, 0) < 0) {
		if (errno != EAGAIN && errno != EWOULDBLOCK)
			die("usrsctp_sendv");
		if (now() > give_up)
			die("usrsctp_sendv kept answering EAGAIN");
		sleep_ms(2);
	}
	printf("sent %s\n", text);
}

static void reset_outgoing(struct socket *sock, const char *label)
{
	char buf[sizeof(struct sctp_reset_streams) + sizeof(uint16_t)];
	struct sctp_reset_streams *reset = (struct sctp_reset_streams *)buf;

	memset(buf, 0, sizeof(buf));
	reset->srs_flags = SCTP_STREAM_RESET_OUTGOING;
	reset->srs_number_streams = 1;
	reset->srs_stream_list[0] = STREAM;
	set_option(sock, SCTP_RESET_STREAMS, reset, sizeof(buf), "SCTP_RESET_STREAMS");
	printf("%s outgoing %d\n", label, STREAM);
}

int main(int argc, char **argv)
{
	const char *role = NULL, *closer = NULL;
	long udp_port = 0, peer_udp_port = 0, sctp_port = 5001, seconds = 30;
	struct sockaddr_storage address;
	socklen_t address_length;
	struct socket *sock, *listener = NULL;
	int option, is_server, is_closer;
	int pre_received = 0, reset_sent = 0, in_reset = 0, out_reset = 0, post_sent = 0;
	int post_received = 0;
	char buf[2048];

	while ((option = getopt(argc, argv, "r:c:u:U:p:t:")) != -1) {
		switch (option) {
		case 'r': role = optarg; break;
		case 'c': closer = optarg; break;
		case 'u': udp_port = number(optarg, 1, 65535); break;
		case 'U': peer_udp_port = number(optarg, 1, 65535); break;
		case 'p': sctp_port = number(optarg, 1, 65535); break;
		case 't': seconds = number(optarg, 0, 86400); break;
		default: usage();
		}
	}
	if (role == NULL || closer == NULL)
		usage();
	is_server = strcmp(role, "server") == 0;
	is_closer = strcmp(closer, role) == 0;
	if (udp_port == 0)
		udp_port = is_server ? 9900 : 9901;
	if (peer_udp_port == 0)
		peer_udp_port = is_server ? 9901 : 9900;
	signal(SIGALRM, on_alarm);
	alarm((unsigned)seconds);

	usrsctp_init((uint16_t)udp_port, NULL, NULL);
	usrsctp_sysctl_set_sctp_blackhole(2);
	address_length = make_address("127.0.0.1", (uint16_t)sctp_port, &address);
	if (is_server) {
		listener = usrsctp_socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP, NULL, NULL, 0, NULL);
		if (listener == NULL)
			die("usrsctp_socket");
		prepare(listener, (uint16_t)peer_udp_port);
		if (usrsctp_bind(listener, (struct sockaddr *)&address, address_length) < 0)
			die("usrsctp_bind");
		if (usrsctp_listen(listener, 1) < 0)
			die("usrsctp_listen");
		printf("listening\n");
		fflush(stdout);
		sock = usrsctp_accept(listener, NULL, NULL);
		if (sock == NULL)
			die("usrsctp_accept");
	} else {
		sock = usrsctp_socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP, NULL, NULL, 0, NULL);
		if (sock == NULL)
			die("usrsctp_socket");
		prepare(sock, (uint16_t)peer_udp_port);
		if (usrsctp_connect(sock, (struct sockaddr *)&address, address_length) < 0)
			die("usrsctp_connect");
	}
	printf("connected\n");
	usrsctp_set_non_blocking(sock, 1);
	for (option = 0; option < PRE_MESSAGES; option++) {
		char text[16];

		snprintf(text, sizeof(text), "pre-%d", option);
		send_text(sock, text);
	}

	while (!(post_received && post_sent)) {
		struct sctp_rcvinfo info;
		socklen_t info_length = sizeof(info);
		unsigned int info_type = 0;
		int flags = 0;
		ssize_t n;

		memset(&info, 0, sizeof(info));
		n = usrsctp_recvv(sock, buf, sizeof(buf) - 1, NULL, NULL, &info, &info_length,
				  &info_type, &flags);
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			sleep_ms(2);
			continue;
		}
		if (n <= 0) {
			printf("error: the association ended (%s)\n", n == 0 ? "eof" : strerror(errno));
			return 1;
		}
		if (flags & MSG_NOTIFICATION) {
			union sctp_notification *note = (union sctp_notification *)buf;
			struct sctp_stream_reset_event *reset = &note->sn_strreset_event;
			int count, i, has_stream = 0;

			if (note->sn_header.sn_type != SCTP_STREAM_RESET_EVENT)
				continue;
			count = (int)(reset->strreset_length - sizeof(*reset)) / 2;
			printf("stream reset event flags 0x%x streams", reset->strreset_flags);
			for (i = 0; i < count; i++) {
				printf(" %u", reset->strreset_stream_list[i]);
				has_stream |= reset->strreset_stream_list[i] == STREAM;
			}
			printf("\n");
			if (reset->strreset_flags & (SCTP_STREAM_RESET_DENIED | SCTP_STREAM_RESET_FAILED)) {
				printf("error: a reset failed\n");
				return 1;
			}
			if (!has_stream)
				continue;
			if (reset->strreset_flags & SCTP_STREAM_RESET_INCOMING_SSN) {
				in_reset = 1;
				printf("peer reset stream %d\n", STREAM);
				if (!reset_sent) {
					/* The data channel answer: close our side too. */
					reset_outgoing(sock, "answer: reset");
					reset_sent = 1;
				}
			}
			if (reset->strreset_flags & SCTP_STREAM_RESET_OUTGOING_SSN) {
				out_reset = 1;
				printf("our stream %d reset\n", STREAM);
			}
		} else {
			buf[n] = '\0';
			printf("received %s on stream %u ssn %u\n", buf, info.rcv_sid, info.rcv_ssn);
			if (info.rcv_sid != STREAM) {
				printf("error: wrong stream\n");
				return 1;
			}
			if (strncmp(buf, "pre-", 4) == 0) {
				if (info.rcv_ssn != pre_received) {
					printf("error: expected ssn %d\n", pre_received);
					return 1;
				}
				pre_received++;
				if (pre_received == PRE_MESSAGES && is_closer && !reset_sent) {
					reset_outgoing(sock, "close: reset");
					reset_sent = 1;
				}
			} else if (strcmp(buf, "post") == 0) {
				if (info.rcv_ssn != 0 || !in_reset) {
					printf("error: the new channel's first message must come after the "
					       "reset, with ssn 0\n");
					return 1;
				}
				post_received = 1;
			}
		}
		if (in_reset && out_reset && !post_sent) {
			send_text(sock, "post");
			post_sent = 1;
		}
		fflush(stdout);
	}
	printf("done\n");
	fflush(stdout);
	/* Let the last SACKs go out before closing (a graceful shutdown follows anyway). */
	sleep_ms(200);
	usrsctp_close(sock);
	if (listener != NULL)
		usrsctp_close(listener);
	return finish() == 0 ? 0 : 1;
}
