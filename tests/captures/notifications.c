/*
 * Records the RFC 6458 notifications of the library it is linked with, for the notification
 * tests: AF_CONN endpoints in one process, no threads, every event type subscribed with
 * SCTP_EVENT, and each notification printed as one line
 *   N <socket> <TYPE>[/<state>] <hex bytes>
 * after a comment line naming the step. Build against Debian's libusrsctp and regenerate with
 *   cc -Wall tests/captures/notifications.c -o /tmp/notifications -lusrsctp && \
 *     /tmp/notifications > tests/captures/libusrsctp-0.9.5-notifications.txt
 * The bytes are host order (x86_64: little-endian) as `usrsctp_recvv` returns them with
 * MSG_NOTIFICATION; the AF_CONN pointer values vary from run to run. NOTIF_DEBUG=1 in the
 * environment also prints a comment line for every packet (not part of the recorded file).
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <usrsctp.h>

#define SERVER_PORT 5001
#define MAX_QUEUE 256

struct packet {
	size_t len;
	unsigned char bytes[2048];
};

static struct packet queue[MAX_QUEUE];
static int queued;
static char link_id; /* the AF_CONN address all endpoints share */

enum drop_mode {
	DROP_NONE,
	DROP_CLIENT_DATA,      /* client packets that carry DATA */
	DROP_CLIENT_LAST_FRAG, /* client packets that carry a DATA chunk with E but not B */
	DROP_ALL,
};
static enum drop_mode drop_mode;
static uint32_t last_vtag_to_server; /* the tag of the last client packet */
static uint32_t last_vtag_to_client; /* the tag of the last server packet */

static int conn_output(void *addr, void *buf, size_t len, uint8_t tos, uint8_t set_df)
{
	const unsigned char *p = buf;
	(void)addr;
	(void)tos;
	(void)set_df;
	if (len > sizeof(queue[0].bytes) || queued == MAX_QUEUE)
		return 0;
	if (getenv("NOTIF_DEBUG"))
		printf("# packet %u>%u chunk %u len %zu%s\n", p[0] << 8 | p[1], p[2] << 8 | p[3], p[12], len,
		       drop_mode == DROP_ALL ? " (dropped)" : "");
	if (drop_mode == DROP_ALL)
		return 0;
	if (len >= 16 && (p[0] << 8 | p[1]) == SERVER_PORT && p[12] != 2 /* not INIT-ACK */)
		memcpy(&last_vtag_to_client, p + 4, 4);
	if (len >= 16 && (p[2] << 8 | p[3]) == SERVER_PORT) {
		size_t off;
		int has_data = 0, has_last_frag = 0;
		if (p[12] != 1) /* not INIT */
			memcpy(&last_vtag_to_server, p + 4, 4);
		for (off = 12; off + 4 <= len;) {
			size_t clen = (size_t)(p[off + 2] << 8 | p[off + 3]);
			if (p[off] == 0) {
				has_data = 1;
				if ((p[off + 1] & 3) == 1)
					has_last_frag = 1;
			}
			if (clen < 4)
				break;
			off += (clen + 3) & ~(size_t)3;
		}
		if (drop_mode == DROP_CLIENT_DATA && has_data)
			return 0;
		if (drop_mode == DROP_CLIENT_LAST_FRAG && has_last_frag)
			return 0;
	}
	memcpy(queue[queued].bytes, buf, len);
	queue[queued].len = len;
	queued++;
	return 0;
}

/* Delivers queued packets and runs timers for `ms` milliseconds of virtual time. */
static void pump(int ms)
{
	int t;
	for (t = 0; t <= ms; t += 10) {
		while (queued > 0) {
			struct packet p = queue[0];
			memmove(queue, queue + 1, sizeof(queue[0]) * (size_t)(queued - 1));
			queued--;
			usrsctp_conninput(&link_id, p.bytes, p.len, 0);
		}
		usrsctp_handle_timers(10);
	}
}

static const char *type_name(uint16_t type)
{
	switch (type) {
	case SCTP_ASSOC_CHANGE: return "ASSOC_CHANGE";
	case SCTP_PEER_ADDR_CHANGE: return "PEER_ADDR_CHANGE";
	case SCTP_REMOTE_ERROR: return "REMOTE_ERROR";
	case SCTP_SEND_FAILED: return "SEND_FAILED";
	case SCTP_SHUTDOWN_EVENT: return "SHUTDOWN_EVENT";
	case SCTP_ADAPTATION_INDICATION: return "ADAPTATION_INDICATION";
	case SCTP_PARTIAL_DELIVERY_EVENT: return "PARTIAL_DELIVERY_EVENT";
	case SCTP_AUTHENTICATION_EVENT: return "AUTHENTICATION_EVENT";
	case SCTP_STREAM_RESET_EVENT: return "STREAM_RESET_EVENT";
	case SCTP_SENDER_DRY_EVENT: return "SENDER_DRY_EVENT";
	case SCTP_NOTIFICATIONS_STOPPED_EVENT: return "NOTIFICATIONS_STOPPED_EVENT";
	case SCTP_ASSOC_RESET_EVENT: return "ASSOC_RESET_EVENT";
	case SCTP_STREAM_CHANGE_EVENT: return "STREAM_CHANGE_EVENT";
	case SCTP_SEND_FAILED_EVENT: return "SEND_FAILED_EVENT";
	default: return "UNKNOWN";
	}
}

static const char *assoc_state_name(uint16_t state)
{
	switch (state) {
	case SCTP_COMM_UP: return "COMM_UP";
	case SCTP_COMM_LOST: return "COMM_LOST";
	case SCTP_RESTART: return "RESTART";
	case SCTP_SHUTDOWN_COMP: return "SHUTDOWN_COMP";
	case SCTP_CANT_STR_ASSOC: return "CANT_STR_ASSOC";
	default: return "?";
	}
}

static const char *addr_state_name(uint32_t state)
{
	switch (state) {
	case SCTP_ADDR_AVAILABLE: return "ADDR_AVAILABLE";
	case SCTP_ADDR_UNREACHABLE: return "ADDR_UNREACHABLE";
	case SCTP_ADDR_REMOVED: return "ADDR_REMOVED";
	case SCTP_ADDR_ADDED: return "ADDR_ADDED";
	case SCTP_ADDR_MADE_PRIM: return "ADDR_MADE_PRIM";
	case SCTP_ADDR_CONFIRMED: return "ADDR_CONFIRMED";
	default: return "?";
	}
}

/* Reads everything queued on `so`; prints notifications, summarises data. */
static void drain(struct socket *so, const char *name)
{
	unsigned char buf[10000];
	struct sockaddr_conn from;
	socklen_t fromlen;
	struct sctp_rcvinfo rcv;
	socklen_t infolen;
	unsigned int infotype;
	int flags;
	ssize_t n, i;
	for (;;) {
		fromlen = sizeof(from);
		infolen = sizeof(rcv);
		flags = 0;
		infotype = 0;
		n = usrsctp_recvv(so, buf, sizeof(buf), (struct sockaddr *)&from, &fromlen, &rcv, &infolen,
		                  &infotype, &flags);
		if (n <= 0)
			break;
		if (flags & MSG_NOTIFICATION) {
			union sctp_notification *sn = (union sctp_notification *)buf;
			printf("N %s %s", name, type_name(sn->sn_header.sn_type));
			if (sn->sn_header.sn_type == SCTP_ASSOC_CHANGE)
				printf("/%s", assoc_state_name(sn->sn_assoc_change.sac_state));
			if (sn->sn_header.sn_type == SCTP_PEER_ADDR_CHANGE)
				printf("/%s", addr_state_name(sn->sn_paddr_change.spc_state));
			for (i = 0; i < n; i++)
				printf(" %02x", buf[i]);
			printf("\n");
			if (!(flags & MSG_EOR))
				printf("# (notification truncated or partial)\n");
		} else {
			printf("# %s read %zd data bytes%s\n", name, n, (flags & MSG_EOR) ? "" : " (partial)");
		}
	}
}

static void send_msg(struct socket *so, size_t len, uint16_t sid, uint16_t flags, uint32_t context,
                     uint16_t pr_policy, uint32_t pr_value)
{
	static char data[8000];
	struct sctp_sendv_spa spa;
	memset(data, 'a' + (int)(len % 26), sizeof(data));
	memset(&spa, 0, sizeof(spa));
	spa.sendv_flags = SCTP_SEND_SNDINFO_VALID;
	spa.sendv_sndinfo.snd_sid = sid;
	spa.sendv_sndinfo.snd_flags = flags;
	spa.sendv_sndinfo.snd_ppid = htonl(51);
	spa.sendv_sndinfo.snd_context = context;
	if (pr_policy) {
		spa.sendv_flags |= SCTP_SEND_PRINFO_VALID;
		spa.sendv_prinfo.pr_policy = pr_policy;
		spa.sendv_prinfo.pr_value = pr_value;
	}
	if (usrsctp_sendv(so, data, len, NULL, 0, &spa, sizeof(spa), SCTP_SENDV_SPA, 0) < 0)
		printf("# sendv failed: errno %d\n", errno);
}

static void subscribe_all(struct socket *so)
{
	static const uint16_t types[] = {
		SCTP_ASSOC_CHANGE, SCTP_PEER_ADDR_CHANGE, SCTP_REMOTE_ERROR, SCTP_SHUTDOWN_EVENT,
		SCTP_ADAPTATION_INDICATION, SCTP_PARTIAL_DELIVERY_EVENT, SCTP_AUTHENTICATION_EVENT,
		SCTP_STREAM_RESET_EVENT, SCTP_SENDER_DRY_EVENT, SCTP_ASSOC_RESET_EVENT,
		SCTP_STREAM_CHANGE_EVENT, SCTP_SEND_FAILED_EVENT,
	};
	struct sctp_event ev;
	size_t i;
	for (i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		memset(&ev, 0, sizeof(ev));
		ev.se_assoc_id = SCTP_FUTURE_ASSOC;
		ev.se_type = types[i];
		ev.se_on = 1;
		if (usrsctp_setsockopt(so, IPPROTO_SCTP, SCTP_EVENT, &ev, sizeof(ev)) < 0)
			printf("# SCTP_EVENT %u failed: errno %d\n", types[i], errno);
	}
}

static struct socket *make_socket(int type, uint16_t port, uint32_t adaptation)
{
	struct socket *so = usrsctp_socket(AF_CONN, type, IPPROTO_SCTP, NULL, NULL, 0, NULL);
	struct sockaddr_conn sconn;
	struct sctp_setadaptation ad;
	int on = 1;
	usrsctp_set_non_blocking(so, 1);
	usrsctp_setsockopt(so, IPPROTO_SCTP, SCTP_NODELAY, &on, sizeof(on));
	usrsctp_setsockopt(so, IPPROTO_SCTP, SCTP_RECVRCVINFO, &on, sizeof(on));
	if (adaptation) {
		ad.ssb_adaptation_ind = adaptation;
		if (usrsctp_setsockopt(so, IPPROTO_SCTP, SCTP_ADAPTATION_LAYER, &ad, sizeof(ad)) < 0)
			printf("# SCTP_ADAPTATION_LAYER failed: errno %d\n", errno);
	}
	subscribe_all(so);
	memset(&sconn, 0, sizeof(sconn));
	sconn.sconn_family = AF_CONN;
	sconn.sconn_port = htons(port);
	sconn.sconn_addr = &link_id;
	if (usrsctp_bind(so, (struct sockaddr *)&sconn, sizeof(sconn)) < 0)
		printf("# bind failed: errno %d\n", errno);
	return so;
}

static void connect_to(struct socket *so, uint16_t port)
{
	struct sockaddr_conn sconn;
	memset(&sconn, 0, sizeof(sconn));
	sconn.sconn_family = AF_CONN;
	sconn.sconn_port = htons(port);
	sconn.sconn_addr = &link_id;
	if (usrsctp_connect(so, (struct sockaddr *)&sconn, sizeof(sconn)) < 0 && errno != EINPROGRESS)
		printf("# connect failed: errno %d\n", errno);
}

static void abort_with_reason(struct socket *so, const char *reason)
{
	struct sctp_sndinfo snd;
	memset(&snd, 0, sizeof(snd));
	snd.snd_flags = SCTP_ABORT;
	if (usrsctp_sendv(so, reason, strlen(reason), NULL, 0, &snd, sizeof(snd), SCTP_SENDV_SNDINFO, 0) < 0)
		printf("# abort failed: errno %d\n", errno);
}

int main(void)
{
	struct socket *server, *c1, *c2, *c3, *c4, *c5;
	struct sctp_paddrparams params;
	struct sctp_assocparams ap;
	struct sockaddr_conn sconn;
	unsigned char bogus[16 + 4];
	uint32_t crc, pd_point;

	usrsctp_init_nothreads(0, conn_output, NULL);
	usrsctp_sysctl_set_sctp_blackhole(0);
	usrsctp_register_address(&link_id);
	printf("# libusrsctp notifications; N <socket> <type>[/<state>] <bytes in host order>\n");

	server = make_socket(SOCK_SEQPACKET, SERVER_PORT, 0x01020304);
	pd_point = 1000;
	if (usrsctp_setsockopt(server, IPPROTO_SCTP, SCTP_PARTIAL_DELIVERY_POINT, &pd_point, sizeof(pd_point)) < 0)
		printf("# SCTP_PARTIAL_DELIVERY_POINT failed: errno %d\n", errno);
	usrsctp_listen(server, 1);

	printf("# c1: handshake (c1 announces adaptation 0xa1b2c3d4, the server 0x01020304)\n");
	c1 = make_socket(SOCK_STREAM, 5000, 0xa1b2c3d4);
	connect_to(c1, SERVER_PORT);
	pump(100);
	drain(c1, "c1");
	drain(server, "server");

	printf("# c1: one message on stream 1 with context 7, acknowledged: the sender is dry\n");
	send_msg(c1, 100, 1, 0, 7, 0, 0);
	pump(500);
	drain(c1, "c1");
	drain(server, "server");

	printf("# c1: an unknown chunk type 0x7f (stop and report) from c1: the server answers ERROR\n");
	memset(bogus, 0, sizeof(bogus));
	bogus[0] = 5000 >> 8;
	bogus[1] = 5000 & 0xff;
	bogus[2] = SERVER_PORT >> 8;
	bogus[3] = SERVER_PORT & 0xff;
	memcpy(bogus + 4, &last_vtag_to_server, 4);
	bogus[12] = 0x7f;
	bogus[15] = 8;
	bogus[16] = 0xca;
	bogus[17] = 0xfe;
	crc = usrsctp_crc32c(bogus, sizeof(bogus));
	memcpy(bogus + 8, &crc, 4);
	usrsctp_conninput(&link_id, bogus, sizeof(bogus), 0);
	pump(100);
	drain(c1, "c1");
	drain(server, "server");

	printf("# c1: PR-SCTP: a 400-byte message on stream 2 (unordered, context 9, TTL 0 ms) is dropped and abandoned\n");
	drop_mode = DROP_CLIENT_DATA;
	send_msg(c1, 400, 2, SCTP_UNORDERED, 9, SCTP_PR_SCTP_TTL, 0);
	pump(50);
	drop_mode = DROP_NONE;
	pump(5000);
	drain(c1, "c1");
	drain(server, "server");
	printf("# c1: (libusrsctp abandons expired messages when the application sends: a 1-byte message on stream 0)\n");
	send_msg(c1, 1, 0, 0, 0, 0, 0);
	pump(500);
	drain(c1, "c1");
	drain(server, "server");

	printf("# c1: partial delivery: a 5000-byte message on stream 3 (TTL 0 ms) loses its last fragment; the server has read part of it\n");
	drop_mode = DROP_CLIENT_LAST_FRAG;
	send_msg(c1, 5000, 3, 0, 11, SCTP_PR_SCTP_TTL, 0);
	pump(50);
	drain(server, "server");
	drop_mode = DROP_NONE;
	pump(5000);
	drain(c1, "c1");
	drain(server, "server");
	printf("# c1: (a 1-byte message on stream 0 makes c1 abandon the rest and send FORWARD-TSN)\n");
	send_msg(c1, 1, 0, 0, 0, 0, 0);
	pump(500);
	drain(c1, "c1");
	drain(server, "server");

	printf("# c1: an ERROR chunk with two causes from the server (invalid stream 5; unresolvable address \"abc\", unpadded)\n");
	{
		unsigned char err[12 + 20];
		memset(err, 0, sizeof(err));
		err[0] = SERVER_PORT >> 8;
		err[1] = SERVER_PORT & 0xff;
		err[2] = 5000 >> 8;
		err[3] = 5000 & 0xff;
		memcpy(err + 4, &last_vtag_to_client, 4);
		err[12] = 9;
		err[15] = 19;
		err[17] = 1; /* cause 1, length 8: stream 5 */
		err[19] = 8;
		err[21] = 5;
		err[25] = 5; /* cause 5, length 7: "abc" */
		err[27] = 7;
		memcpy(err + 28, "abc", 3);
		crc = usrsctp_crc32c(err, sizeof(err));
		memcpy(err + 8, &crc, 4);
		usrsctp_conninput(&link_id, err, sizeof(err), 0);
	}
	pump(100);
	drain(c1, "c1");
	drain(server, "server");

	printf("# c1: the path fails while a 100-byte message is outstanding (path max retrans 1, heartbeats every 1 s) and recovers\n");
	memset(&params, 0, sizeof(params));
	params.spp_assoc_id = SCTP_FUTURE_ASSOC;
	memset(&sconn, 0, sizeof(sconn));
	sconn.sconn_family = AF_CONN;
	sconn.sconn_port = htons(SERVER_PORT);
	sconn.sconn_addr = &link_id;
	memcpy(&params.spp_address, &sconn, sizeof(sconn));
	params.spp_flags = SPP_HB_ENABLE;
	params.spp_hbinterval = 1000;
	params.spp_pathmaxrxt = 1;
	if (usrsctp_setsockopt(c1, IPPROTO_SCTP, SCTP_PEER_ADDR_PARAMS, &params, sizeof(params)) < 0)
		printf("# SCTP_PEER_ADDR_PARAMS failed: errno %d\n", errno);
	memset(&ap, 0, sizeof(ap));
	ap.sasoc_assoc_id = SCTP_FUTURE_ASSOC;
	ap.sasoc_asocmaxrxt = 20;
	if (usrsctp_setsockopt(c1, IPPROTO_SCTP, SCTP_ASSOCINFO, &ap, sizeof(ap)) < 0)
		printf("# SCTP_ASSOCINFO failed: errno %d\n", errno);
	drop_mode = DROP_ALL;
	send_msg(c1, 100, 6, 0, 15, 0, 0);
	pump(10000);
	drain(c1, "c1");
	drop_mode = DROP_NONE;
	pump(70000);
	drain(c1, "c1");
	drain(server, "server");

	printf("# c1: messages queued while the link is down, then c1 aborts with the reason \"bye\"\n");
	drop_mode = DROP_CLIENT_DATA;
	send_msg(c1, 300, 4, 0, 13, 0, 0);
	send_msg(c1, 300, 5, 0, 14, 0, 0);
	pump(20);
	drop_mode = DROP_NONE;
	abort_with_reason(c1, "bye");
	pump(100);
	drain(c1, "c1");
	drain(server, "server");

	printf("# c2: handshake, then a graceful shutdown started by c2\n");
	c2 = make_socket(SOCK_STREAM, 5002, 0);
	connect_to(c2, SERVER_PORT);
	pump(100);
	drain(c2, "c2");
	drain(server, "server");
	if (usrsctp_shutdown(c2, SHUT_WR) < 0)
		printf("# shutdown failed: errno %d\n", errno);
	pump(400);
	drain(c2, "c2");
	drain(server, "server");

	printf("# c3: connects to a port nobody listens on: ABORT in COOKIE-WAIT\n");
	c3 = make_socket(SOCK_STREAM, 5003, 0);
	connect_to(c3, 5999);
	pump(100);
	drain(c3, "c3");

	printf("# c4: handshake, then the server aborts it (SCTP_ABORT with the reason \"gone\")\n");
	c4 = make_socket(SOCK_STREAM, 5004, 0);
	connect_to(c4, SERVER_PORT);
	pump(100);
	drain(c4, "c4");
	drain(server, "server");
	{
		struct sctp_sndinfo snd;
		struct sockaddr_conn to;
		memset(&snd, 0, sizeof(snd));
		snd.snd_flags = SCTP_ABORT;
		memset(&to, 0, sizeof(to));
		to.sconn_family = AF_CONN;
		to.sconn_port = htons(5004);
		to.sconn_addr = &link_id;
		if (usrsctp_sendv(server, "gone", 4, (struct sockaddr *)&to, 1, &snd, sizeof(snd),
		                  SCTP_SENDV_SNDINFO, 0) < 0)
			printf("# server abort failed: errno %d\n", errno);
	}
	pump(100);
	drain(c4, "c4");
	drain(server, "server");

	printf("# c5: the server never answers: INIT retransmissions run out\n");
	{
		struct sctp_initmsg init;
		c5 = make_socket(SOCK_STREAM, 5005, 0);
		memset(&init, 0, sizeof(init));
		init.sinit_max_attempts = 2;
		init.sinit_max_init_timeo = 1000;
		usrsctp_setsockopt(c5, IPPROTO_SCTP, SCTP_INITMSG, &init, sizeof(init));
		drop_mode = DROP_ALL;
		connect_to(c5, SERVER_PORT);
		pump(20000);
		drop_mode = DROP_NONE;
		drain(c5, "c5");
	}

	usrsctp_close(c1);
	usrsctp_close(c2);
	usrsctp_close(c3);
	usrsctp_close(c4);
	usrsctp_close(c5);
	usrsctp_close(server);
	pump(100);
	usrsctp_deregister_address(&link_id);
	while (usrsctp_finish() != 0)
		pump(100);
	return 0;
}
