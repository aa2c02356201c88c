/*
 * One side of tests/asconf_vs_libusrsctp.rs: an SCTP endpoint over UDP encapsulation that uses
 * ASCONF (RFC 5061) through the socket API.
 *
 *   asconf_peer server <udp port> <peer udp port>
 *   asconf_peer client <udp port> <peer udp port>
 *
 * The server (127.0.0.1:5001) prints the SCTP_PEER_ADDR_CHANGE and SCTP_ASSOC_CHANGE
 * notifications and the messages it reads, until "bye". The client, bound to 127.0.0.1:5002, connects, sends
 * "hello", adds 127.0.0.2 with usrsctp_bindx (an ASCONF with Add IP), asks the server to send to
 * it (SCTP_SET_PEER_PRIMARY_ADDR: Set Primary), then sends "bye" and closes. 127.0.0.2 must be
 * an address of an interface (libusrsctp checks). Built against /usr/include/usrsctp.h; run on
 * either library.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <usrsctp.h>

static void die(const char *what)
{
	printf("error %s: %s\n", what, strerror(errno));
	exit(1);
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

static void subscribe(struct socket *so)
{
	struct sctp_event ev;
	memset(&ev, 0, sizeof(ev));
	ev.se_assoc_id = SCTP_FUTURE_ASSOC;
	ev.se_on = 1;
	ev.se_type = SCTP_PEER_ADDR_CHANGE;
	usrsctp_setsockopt(so, IPPROTO_SCTP, SCTP_EVENT, &ev, sizeof(ev));
	ev.se_type = SCTP_ASSOC_CHANGE;
	usrsctp_setsockopt(so, IPPROTO_SCTP, SCTP_EVENT, &ev, sizeof(ev));
}

static struct sockaddr_in v4(const char *ip, uint16_t port)
{
	struct sockaddr_in a;
	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_port = htons(port);
	inet_pton(AF_INET, ip, &a.sin_addr);
	return a;
}

static int read_one(struct socket *so)
{
	char buf[2048];
	struct sctp_rcvinfo info;
	socklen_t fromlen, infolen = sizeof(info);
	struct sockaddr_in from;
	unsigned int infotype = 0;
	int flags = 0;
	ssize_t n;

	fromlen = sizeof(from);
	n = usrsctp_recvv(so, buf, sizeof(buf) - 1, (struct sockaddr *)&from, &fromlen, &info, &infolen, &infotype, &flags);
	if (n <= 0)
		return -1;
	if (flags & MSG_NOTIFICATION) {
		union sctp_notification *note = (union sctp_notification *)buf;
		if (note->sn_header.sn_type == SCTP_PEER_ADDR_CHANGE) {
			char ip[64];
			struct sockaddr_in *a = (struct sockaddr_in *)&note->sn_paddr_change.spc_aaddr;
			inet_ntop(AF_INET, &a->sin_addr, ip, sizeof(ip));
			printf("paddr %s:%u state %u error %u\n", ip, ntohs(a->sin_port), note->sn_paddr_change.spc_state, note->sn_paddr_change.spc_error);
		} else if (note->sn_header.sn_type == SCTP_ASSOC_CHANGE) {
			printf("assoc state %u\n", note->sn_assoc_change.sac_state);
		}
		return 0;
	}
	buf[n] = 0;
	printf("recv %s\n", buf);
	return strcmp(buf, "bye") == 0 ? 2 : 1;
}

int main(int argc, char **argv)
{
	struct socket *so, *conn;
	struct sockaddr_in addr;
	int server, r;

	setvbuf(stdout, NULL, _IOLBF, 0);
	server = strcmp(argv[1], "server") == 0;
	usrsctp_init((uint16_t)atoi(argv[2]), NULL, NULL);
	usrsctp_sysctl_set_sctp_blackhole(2);
	if ((so = usrsctp_socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP, NULL, NULL, 0, NULL)) == NULL)
		die("usrsctp_socket");
	encapsulate(so, (uint16_t)atoi(argv[3]));
	subscribe(so);
	{
		int v = -1;
		socklen_t l = sizeof(v);

		/* EINVAL: the socket is not bound to the wildcard address. */
		errno = 0;
		r = usrsctp_getsockopt(so, IPPROTO_SCTP, SCTP_AUTO_ASCONF, &v, &l);
		printf("auto_asconf %d errno %d\n", r, errno);
	}
	if (server) {
		addr = v4("127.0.0.1", 5001);
		if (usrsctp_bind(so, (struct sockaddr *)&addr, sizeof(addr)) != 0)
			die("bind");
		if (usrsctp_listen(so, 1) != 0)
			die("listen");
		printf("listening\n");
		if ((conn = usrsctp_accept(so, NULL, NULL)) == NULL)
			die("accept");
		subscribe(conn);
		/* Until "bye" (or the end of the association). */
		while ((r = read_one(conn)) >= 0 && r != 2)
			;
		usrsctp_close(conn);
		usrsctp_close(so);
	} else {
		addr = v4("127.0.0.1", 5002);
		if (usrsctp_bind(so, (struct sockaddr *)&addr, sizeof(addr)) != 0)
			die("bind");
		addr = v4("127.0.0.1", 5001);
		if (usrsctp_connect(so, (struct sockaddr *)&addr, sizeof(addr)) != 0)
			die("connect");
		printf("connected\n");
		usrsctp_sendv(so, "hello", 5, NULL, 0, NULL, 0, SCTP_SENDV_NOINFO, 0);
		sleep(1);
		addr = v4("127.0.0.2", 5002);
		printf("bindx add %d\n", usrsctp_bindx(so, (struct sockaddr *)&addr, 1, SCTP_BINDX_ADD_ADDR));
		sleep(2);
		{
			struct sctp_setprim sp;

			memset(&sp, 0, sizeof(sp));
			memcpy(&sp.ssp_addr, &addr, sizeof(addr));
			printf("set peer primary %d\n", usrsctp_setsockopt(so, IPPROTO_SCTP, SCTP_SET_PEER_PRIMARY_ADDR, &sp, sizeof(sp)));
		}
		sleep(2);
		usrsctp_sendv(so, "bye", 3, NULL, 0, NULL, 0, SCTP_SENDV_NOINFO, 0);
		sleep(1);
		usrsctp_close(so);
	}
	return 0;
}
