/*
 * Records real SCTP packets for the wire tests: two AF_CONN endpoints of the library it is
 * linked with talk to each other without threads, and every packet is printed as one line
 *   <C>S|S>C> <hex bytes>
 * after a comment line naming the step. Build against Debian's libusrsctp and regenerate with
 *   cc tests/captures/capture.c -o /tmp/capture -lusrsctp && /tmp/capture 0 > tests/captures/libusrsctp-0.9.5-data.txt
 *   /tmp/capture 1 > tests/captures/libusrsctp-0.9.5-idata.txt
 * Mode 0 uses DATA, SACK and FORWARD-TSN and ends with SHUTDOWN; mode 1 negotiates I-DATA
 * interleaving and NR-SACK and ends with ABORT.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <usrsctp.h>

#define CLIENT_PORT 5000
#define SERVER_PORT 5001
#define MAX_QUEUE 256

struct packet {
	size_t len;
	uint8_t ecn;
	unsigned char bytes[2048];
};

static struct packet queue[MAX_QUEUE];
static int queued;
static int drop_client_data; /* drop client packets that carry DATA or I-DATA */
static int mark_ce_once;     /* deliver the next client packet with ECN CE */
static uint32_t server_vtag; /* the tag client packets carry, learned from them */
static char link_id;         /* the AF_CONN address both endpoints share */

static void print_packet(const unsigned char *p, size_t len)
{
	size_t i;
	uint16_t src = (uint16_t)(p[0] << 8 | p[1]);
	printf("%s", src == CLIENT_PORT ? "C>S" : "S>C");
	for (i = 0; i < len; i++)
		printf(" %02x", p[i]);
	printf("\n");
}

static int conn_output(void *addr, void *buf, size_t len, uint8_t tos, uint8_t set_df)
{
	const unsigned char *p = buf;
	(void)addr;
	(void)tos;
	(void)set_df;
	if (len > sizeof(queue[0].bytes) || queued == MAX_QUEUE)
		return 0;
	print_packet(p, len);
	if (len >= 16 && (p[0] << 8 | p[1]) == CLIENT_PORT) {
		uint8_t first_chunk = p[12];
		size_t off;
		int has_data = 0;
		if (first_chunk != 1) /* not INIT */
			memcpy(&server_vtag, p + 4, 4);
		for (off = 12; off + 4 <= len;) {
			size_t clen = (size_t)(p[off + 2] << 8 | p[off + 3]);
			if (p[off] == 0 || p[off] == 64)
				has_data = 1;
			if (clen < 4)
				break;
			off += (clen + 3) & ~(size_t)3;
		}
		if (drop_client_data && has_data) {
			printf("# (dropped)\n");
			return 0;
		}
	}
	memcpy(queue[queued].bytes, buf, len);
	queue[queued].len = len;
	queue[queued].ecn = 0;
	if (mark_ce_once && (p[0] << 8 | p[1]) == CLIENT_PORT) {
		queue[queued].ecn = 3;
		mark_ce_once = 0;
	}
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
			usrsctp_conninput(&link_id, p.bytes, p.len, p.ecn);
		}
		usrsctp_handle_timers(10);
	}
}

static void drain(struct socket *so)
{
	char buf[10000];
	struct sockaddr_conn from;
	socklen_t fromlen;
	struct sctp_rcvinfo rcv;
	socklen_t infolen;
	unsigned int infotype;
	int flags;
	for (;;) {
		fromlen = sizeof(from);
		infolen = sizeof(rcv);
		flags = 0;
		if (usrsctp_recvv(so, buf, sizeof(buf), (struct sockaddr *)&from, &fromlen, &rcv, &infolen,
		                  &infotype, &flags) <= 0)
			break;
	}
}

static void send_msg(struct socket *so, size_t len, uint16_t sid, uint16_t flags, uint16_t pr_policy)
{
	static char data[8000];
	struct sctp_sendv_spa spa;
	memset(data, 'a' + (int)(len % 26), sizeof(data));
	memset(&spa, 0, sizeof(spa));
	spa.sendv_flags = SCTP_SEND_SNDINFO_VALID;
	spa.sendv_sndinfo.snd_sid = sid;
	spa.sendv_sndinfo.snd_flags = flags;
	spa.sendv_sndinfo.snd_ppid = htonl(51);
	if (pr_policy) {
		spa.sendv_flags |= SCTP_SEND_PRINFO_VALID;
		spa.sendv_prinfo.pr_policy = pr_policy;
		spa.sendv_prinfo.pr_value = 0;
	}
	if (usrsctp_sendv(so, data, len, NULL, 0, &spa, sizeof(spa), SCTP_SENDV_SPA, 0) < 0)
		printf("# sendv failed: errno %d\n", errno);
}

/* A one-to-many socket names the peer of each message. */
static void send_msg_to(struct socket *so, size_t len, struct sockaddr_conn *to)
{
	static const char data[256];
	if (usrsctp_sendv(so, data, len, (struct sockaddr *)to, 1, NULL, 0, SCTP_SENDV_NOINFO, 0) < 0)
		printf("# sendv failed: errno %d\n", errno);
}

static struct socket *make_socket(int type, uint16_t port, int interleave)
{
	struct socket *so = usrsctp_socket(AF_CONN, type, IPPROTO_SCTP, NULL, NULL, 0, NULL);
	struct sockaddr_conn sconn;
	struct sctp_assoc_value av;
	int on = 1;
	usrsctp_set_non_blocking(so, 1);
	memset(&av, 0, sizeof(av));
	av.assoc_id = SCTP_FUTURE_ASSOC;
	av.assoc_value = SCTP_ENABLE_RESET_STREAM_REQ | SCTP_ENABLE_CHANGE_ASSOC_REQ;
	usrsctp_setsockopt(so, IPPROTO_SCTP, SCTP_ENABLE_STREAM_RESET, &av, sizeof(av));
	usrsctp_setsockopt(so, IPPROTO_SCTP, SCTP_NODELAY, &on, sizeof(on));
	if (interleave) {
		int level = 2;
		av.assoc_value = 1;
		usrsctp_setsockopt(so, IPPROTO_SCTP, SCTP_FRAGMENT_INTERLEAVE, &level, sizeof(level));
		usrsctp_setsockopt(so, IPPROTO_SCTP, 0x1206 /* SCTP_INTERLEAVING_SUPPORTED */, &av, sizeof(av));
	}
	memset(&sconn, 0, sizeof(sconn));
	sconn.sconn_family = AF_CONN;
	sconn.sconn_port = htons(port);
	sconn.sconn_addr = &link_id;
	usrsctp_bind(so, (struct sockaddr *)&sconn, sizeof(sconn));
	return so;
}

int main(int argc, char **argv)
{
	int idata = argc > 1 && atoi(argv[1]) == 1;
	struct socket *client, *server;
	struct sockaddr_conn sconn, client_addr;
	struct sctp_authchunk auth;
	struct sctp_paddrparams params;
	struct sctp_reset_streams *reset;
	struct sctp_add_streams add;
	unsigned char bogus[16 + 4];
	uint32_t crc;

	usrsctp_init_nothreads(0, conn_output, NULL);
	usrsctp_sysctl_set_sctp_ecn_enable(1);
	if (idata)
		usrsctp_sysctl_set_sctp_nrsack_enable(1);
	usrsctp_register_address(&link_id);

	server = make_socket(SOCK_SEQPACKET, SERVER_PORT, idata);
	client = make_socket(SOCK_STREAM, CLIENT_PORT, idata);
	/* The server wants DATA (type 0) authenticated: the client adds AUTH chunks. */
	auth.sauth_chunk = idata ? 64 : 0;
	usrsctp_setsockopt(server, IPPROTO_SCTP, SCTP_AUTH_CHUNK, &auth, sizeof(auth));
	usrsctp_listen(server, 1);

	printf("# handshake\n");
	memset(&sconn, 0, sizeof(sconn));
	sconn.sconn_family = AF_CONN;
	sconn.sconn_port = htons(SERVER_PORT);
	sconn.sconn_addr = &link_id;
	client_addr = sconn;
	client_addr.sconn_port = htons(CLIENT_PORT);
	usrsctp_connect(client, (struct sockaddr *)&sconn, sizeof(sconn));
	pump(100);

	printf("# messages: ordered, unordered, fragmented\n");
	send_msg(client, 100, 0, 0, 0);
	send_msg(client, 10, 1, SCTP_UNORDERED, 0);
	send_msg(client, 5000, 2, 0, 0);
	pump(400);
	drain(server);
	send_msg_to(server, 200, &client_addr);
	pump(400);
	drain(client);

	printf("# heartbeat on demand\n");
	memset(&params, 0, sizeof(params));
	params.spp_assoc_id = SCTP_FUTURE_ASSOC;
	memcpy(&params.spp_address, &sconn, sizeof(sconn));
	params.spp_flags = SPP_HB_DEMAND;
	usrsctp_setsockopt(client, IPPROTO_SCTP, SCTP_PEER_ADDR_PARAMS, &params, sizeof(params));
	pump(100);

	printf("# ECN: a client packet arrives marked CE\n");
	mark_ce_once = 1;
	send_msg(client, 300, 0, 0, 0);
	pump(50);
	send_msg(client, 300, 0, 0, 0);
	pump(400);
	drain(server);

	printf("# PR-SCTP: a message with a lifetime of 0 ms is lost\n");
	drop_client_data = 1;
	send_msg(client, 400, 3, 0, SCTP_PR_SCTP_TTL);
	pump(50);
	drop_client_data = 0;
	pump(1000);
	printf("# 1 s later\n");
	pump(8000);
	send_msg(client, 20, 3, 0, 0);
	pump(400);
	drain(server);

	printf("# stream reset and added streams\n");
	memset(&add, 0, sizeof(add));
	add.sas_assoc_id = SCTP_FUTURE_ASSOC;
	add.sas_outstrms = 4;
	if (usrsctp_setsockopt(client, IPPROTO_SCTP, SCTP_ADD_STREAMS, &add, sizeof(add)) < 0)
		printf("# add streams failed: errno %d\n", errno);
	pump(400);

	reset = calloc(1, sizeof(*reset) + 2 * sizeof(uint16_t));
	reset->srs_assoc_id = SCTP_FUTURE_ASSOC;
	reset->srs_flags = SCTP_STREAM_RESET_OUTGOING;
	reset->srs_number_streams = 2;
	reset->srs_stream_list[0] = 1;
	reset->srs_stream_list[1] = 2;
	if (usrsctp_setsockopt(client, IPPROTO_SCTP, SCTP_RESET_STREAMS, reset,
	                       (socklen_t)(sizeof(*reset) + 2 * sizeof(uint16_t))) < 0)
		printf("# reset failed: errno %d\n", errno);
	free(reset);
	pump(400);
	printf("# an unknown chunk type 0x7f (stop and report): the server answers ERROR\n");
	memset(bogus, 0, sizeof(bogus));
	bogus[0] = CLIENT_PORT >> 8;
	bogus[1] = CLIENT_PORT & 0xff;
	bogus[2] = SERVER_PORT >> 8;
	bogus[3] = SERVER_PORT & 0xff;
	memcpy(bogus + 4, &server_vtag, 4);
	bogus[12] = 0x7f;
	bogus[15] = 8;
	bogus[16] = 0xca;
	bogus[17] = 0xfe;
	crc = usrsctp_crc32c(bogus, sizeof(bogus));
	memcpy(bogus + 8, &crc, 4);
	print_packet(bogus, sizeof(bogus));
	usrsctp_conninput(&link_id, bogus, sizeof(bogus), 0);
	pump(400);

	if (!idata) {
		printf("# graceful shutdown\n");
		if (usrsctp_shutdown(client, SHUT_WR) < 0)
			printf("# shutdown failed: errno %d\n", errno);
		pump(400);
	} else {
		static const char reason[] = "bye";
		struct sctp_sndinfo snd;
		printf("# abort with a reason\n");
		memset(&snd, 0, sizeof(snd));
		snd.snd_flags = SCTP_ABORT;
		usrsctp_sendv(client, reason, sizeof(reason) - 1, NULL, 0, &snd, sizeof(snd), SCTP_SENDV_SNDINFO, 0);
		pump(400);
	}
	usrsctp_close(client);
	usrsctp_close(server);
	pump(100);
	usrsctp_deregister_address(&link_id);
	while (usrsctp_finish() != 0)
		pump(100);
	return 0;
}
