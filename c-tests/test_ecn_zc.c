/*
 * ECN and zero checksum over AF_CONN, as the application sees them.
 *
 * ECN (RFC 9260 Appendix A): with sctp_ecn_enable at its default both sockets offer ECN
 * (SCTP_ECN_SUPPORTED reads 1); once agreed, conn_output's tos argument is ECT(0) (2) on every
 * packet that carries DATA and 0 on the others, which is what Debian's libusrsctp 0.9.5 passes.
 * Packets handed to usrsctp_conninput with ecn_bits = CE (3) make the receiver send ECNEs and
 * the sender reduce its window (sctps_recvecne, sctps_sendecne, sctps_ecnereducedcwnd and a
 * smaller cwnd in SCTP_STATUS than the same transfer without marks). A socket that turned ECN
 * off with SCTP_ECN_SUPPORTED = 0 gets no ECT marks.
 *
 * Zero checksum (RFC 9653): with SCTP_ACCEPT_ZERO_CHECKSUM = SCTP_EDMID_LOWER_LAYER_DTLS on both
 * sockets, every packet after INIT and INIT-ACK has checksum 0 and the data arrives; with one
 * socket only, every packet has a CRC32c.
 *
 * NR-SACK: off by default; with SCTP_NRSACK_SUPPORTED = 1 on both sockets the acknowledgements
 * are NR-SACK chunks. That part needs a header that has the option (ours;
 * libusrsctp 0.9.5 has not): built against Debian's header it is left out.
 */
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <usrsctp.h>

#include "check.h"

struct packet {
	struct packet *next;
	void *to;
	size_t len;
	unsigned char data[];
};

/* What conn_output saw, counted since the last reset. */
struct seen {
	unsigned long packets, data, data_ect0, other_ect, zero_checksum, crc, sack, nr_sack;
	unsigned long handshake_zero; /* INIT or INIT-ACK with checksum 0 */
};

static pthread_mutex_t mu = PTHREAD_MUTEX_INITIALIZER;
static struct packet *head, *tail;
static struct seen seen;
static int end_a, end_b; /* the two link ends: their addresses are what matters */

static int has_chunk(const unsigned char *p, size_t len, unsigned char type)
{
	size_t off = 12;

	while (off + 4 <= len) {
		size_t clen = ((size_t)p[off + 2] << 8) | p[off + 3];
		if (p[off] == type)
			return 1;
		if (clen < 4)
			break;
		off += (clen + 3) & ~(size_t)3;
	}
	return 0;
}

static int output(void *addr, void *buffer, size_t length, uint8_t tos, uint8_t set_df)
{
	struct packet *p = malloc(sizeof(*p) + length);
	const unsigned char *b = buffer;
	int zero = length >= 12 && b[8] == 0 && b[9] == 0 && b[10] == 0 && b[11] == 0;

	(void)set_df;
	if (p == NULL)
		return ENOMEM;
	p->next = NULL;
	p->to = addr == (void *)&end_a ? (void *)&end_b : (void *)&end_a;
	p->len = length;
	memcpy(p->data, buffer, length);
	pthread_mutex_lock(&mu);
	seen.packets++;
	if (has_chunk(b, length, 0)) {
		seen.data++;
		seen.data_ect0 += (tos & 3) == 2;
	} else if ((tos & 3) != 0) {
		seen.other_ect++;
	}
	seen.sack += has_chunk(b, length, 3);
	seen.nr_sack += has_chunk(b, length, 16);
	if (zero) {
		seen.zero_checksum++;
		seen.handshake_zero += has_chunk(b, length, 1) || has_chunk(b, length, 2);
	} else {
		seen.crc++;
	}
	if (tail != NULL)
		tail->next = p;
	else
		head = p;
	tail = p;
	pthread_mutex_unlock(&mu);
	return 0;
}

/* Delivers what is queued; packets to the server (end B) arrive marked CE when `ce`. */
static int pump(int ce)
{
	int n = 0;

	for (;;) {
		struct packet *p;

		pthread_mutex_lock(&mu);
		p = head;
		if (p != NULL) {
			head = p->next;
			if (head == NULL)
				tail = NULL;
		}
		pthread_mutex_unlock(&mu);
		if (p == NULL)
			return n;
		usrsctp_conninput(p->to, p->data, p->len, ce && p->to == (void *)&end_b ? 3 : 0);
		free(p);
		n++;
	}
}

static void reset_seen(void)
{
	pthread_mutex_lock(&mu);
	memset(&seen, 0, sizeof(seen));
	pthread_mutex_unlock(&mu);
}

static struct seen get_seen(void)
{
	struct seen s;

	pthread_mutex_lock(&mu);
	s = seen;
	pthread_mutex_unlock(&mu);
	return s;
}

static ssize_t read_one(struct socket *s, char *buf, size_t len)
{
	socklen_t infolen = 0;
	unsigned int infotype = 0;
	int flags = 0;

	return usrsctp_recvv(s, buf, len, NULL, NULL, NULL, &infolen, &infotype, &flags);
}

struct pair {
	struct socket *listener, *client, *server;
};

static struct sockaddr_conn conn_addr(void *end, uint16_t port)
{
	struct sockaddr_conn a;

	memset(&a, 0, sizeof(a));
	a.sconn_family = AF_CONN;
	a.sconn_port = htons(port);
	a.sconn_addr = end;
	return a;
}

/* Sets an int-valued assoc_value option for the associations a socket sets up later. */
static int set_future(struct socket *s, int name, uint32_t value)
{
	struct sctp_assoc_value av;

	memset(&av, 0, sizeof(av));
	av.assoc_id = SCTP_FUTURE_ASSOC;
	av.assoc_value = value;
	return usrsctp_setsockopt(s, IPPROTO_SCTP, name, &av, sizeof(av));
}

static long get_value(struct socket *s, int name)
{
	struct sctp_assoc_value av;
	socklen_t len = sizeof(av);

	memset(&av, 0, sizeof(av));
	av.assoc_id = SCTP_FUTURE_ASSOC;
	if (usrsctp_getsockopt(s, IPPROTO_SCTP, name, &av, &len) != 0)
		return -1;
	return (long)av.assoc_value;
}

/* A listener on B:port and a client; `setup` adjusts both before the handshake. */
static int open_pair(struct pair *p, uint16_t port, void (*setup)(struct socket *, int))
{
	struct sockaddr_conn b = conn_addr(&end_b, port), a = conn_addr(&end_a, port);
	int i;

	p->listener = usrsctp_socket(AF_CONN, SOCK_STREAM, IPPROTO_SCTP, NULL, NULL, 0, NULL);
	p->client = usrsctp_socket(AF_CONN, SOCK_STREAM, IPPROTO_SCTP, NULL, NULL, 0, NULL);
	p->server = NULL;
	if (p->listener == NULL || p->client == NULL)
		return -1;
	if (setup != NULL) {
		setup(p->listener, 1);
		setup(p->client, 0);
	}
	usrsctp_set_non_blocking(p->client, 1);
	usrsctp_set_non_blocking(p->listener, 1);
	if (usrsctp_bind(p->listener, (struct sockaddr *)&b, sizeof(b)) != 0 ||
	    usrsctp_listen(p->listener, 1) != 0)
		return -1;
	usrsctp_connect(p->client, (struct sockaddr *)&a, sizeof(a));
	for (i = 0; i < 500 && p->server == NULL; i++) {
		pump(0);
		usleep(2000);
		p->server = usrsctp_accept(p->listener, NULL, NULL);
	}
	if (p->server == NULL)
		return -1;
	usrsctp_set_non_blocking(p->server, 1);
	for (i = 0; i < 20; i++) {
		pump(0);
		usleep(1000);
	}
	return 0;
}

static void close_pair(struct pair *p)
{
	int i;

	if (p->client != NULL)
		usrsctp_close(p->client);
	if (p->server != NULL)
		usrsctp_close(p->server);
	if (p->listener != NULL)
		usrsctp_close(p->listener);
	for (i = 0; i < 100; i++) {
		pump(0);
		usleep(1000);
	}
}

/* Sends `rounds` bursts of 20 messages of 1000 bytes, the server reading; returns how many
 * messages arrived. */
static int transfer(struct pair *p, int rounds, int ce)
{
	char buf[1000];
	int r, k, i, got = 0;

	memset(buf, 'x', sizeof(buf));
	for (r = 0; r < rounds; r++) {
		for (k = 0; k < 20; k++)
			usrsctp_sendv(p->client, buf, sizeof(buf), NULL, 0, NULL, 0, SCTP_SENDV_NOINFO, 0);
		for (i = 0; i < 5; i++) {
			pump(ce);
			usleep(1000);
			while (read_one(p->server, buf, sizeof(buf)) > 0)
				got++;
		}
	}
	for (i = 0; i < 300 && got < rounds * 20; i++) {
		pump(0);
		usleep(2000);
		while (read_one(p->server, buf, sizeof(buf)) > 0)
			got++;
	}
	return got;
}

static uint32_t cwnd_of(struct socket *s)
{
	struct sctp_status st;
	socklen_t len = sizeof(st);

	memset(&st, 0, sizeof(st));
	if (usrsctp_getsockopt(s, IPPROTO_SCTP, SCTP_STATUS, &st, &len) != 0)
		return 0;
	return st.sstat_primary.spinfo_cwnd;
}

static void ecn_off_on_client(struct socket *s, int is_listener)
{
	if (!is_listener)
		set_future(s, SCTP_ECN_SUPPORTED, 0);
}

static void test_ecn(void)
{
	struct pair p;
	struct seen s;
	struct sctpstat before, after;
	uint32_t clean_cwnd, ce_cwnd;
	char got[96];
	int n;

	/* The reference: a transfer without marks. */
	check_int("open a pair with ECN by default", open_pair(&p, 5001, NULL), errno, 0, 0);
	check_int("SCTP_ECN_SUPPORTED of a new socket", get_value(p.listener, SCTP_ECN_SUPPORTED),
		  errno, 1, 0);
	reset_seen();
	n = transfer(&p, 40, 0);
	check_int("800 messages without marks", n, 0, 800, 0);
	s = get_seen();
	snprintf(got, sizeof(got), "%lu of %lu, %lu others", s.data_ect0, s.data, s.other_ect);
	check_true("DATA packets leave with tos ECT(0), others with 0",
		   s.data > 0 && s.data_ect0 == s.data && s.other_ect == 0, "all, 0 others", got);
	clean_cwnd = cwnd_of(p.client);
	close_pair(&p);

	/* The same with every packet to the server marked CE. */
	check_int("open a pair for the CE run", open_pair(&p, 5002, NULL), errno, 0, 0);
	usrsctp_get_stat(&before);
	n = transfer(&p, 40, 1);
	check_int("800 messages with CE marks", n, 0, 800, 0);
	usrsctp_get_stat(&after);
	ce_cwnd = cwnd_of(p.client);
	snprintf(got, sizeof(got), "%u", after.sctps_sendecne - before.sctps_sendecne);
	check_true("the receiver sent ECNEs", after.sctps_sendecne > before.sctps_sendecne, "> 0",
		   got);
	snprintf(got, sizeof(got), "%u", after.sctps_recvecne - before.sctps_recvecne);
	check_true("the sender received ECNEs", after.sctps_recvecne > before.sctps_recvecne, "> 0",
		   got);
	snprintf(got, sizeof(got), "%u", after.sctps_ecnereducedcwnd - before.sctps_ecnereducedcwnd);
	check_true("the sender reduced its window",
		   after.sctps_ecnereducedcwnd > before.sctps_ecnereducedcwnd, "> 0", got);
	snprintf(got, sizeof(got), "%u with CE, %u without", ce_cwnd, clean_cwnd);
	check_true("cwnd smaller with CE marks", ce_cwnd > 0 && ce_cwnd < clean_cwnd, "smaller", got);
	close_pair(&p);

	/* ECN turned off on the client: nothing is marked. */
	check_int("open a pair with ECN off on the client",
		  open_pair(&p, 5003, ecn_off_on_client), errno, 0, 0);
	check_int("SCTP_ECN_SUPPORTED after setting 0", get_value(p.client, SCTP_ECN_SUPPORTED),
		  errno, 0, 0);
	reset_seen();
	n = transfer(&p, 5, 0);
	check_int("100 messages without ECN", n, 0, 100, 0);
	s = get_seen();
	snprintf(got, sizeof(got), "%lu of %lu", s.data_ect0, s.data);
	check_true("no ECT marks when one end said no", s.data > 0 && s.data_ect0 == 0 &&
		   s.other_ect == 0, "0", got);
	close_pair(&p);
}

static void nr_sack_on(struct socket *s, int is_listener)
{
	(void)is_listener;
	set_future(s, SCTP_NRSACK_SUPPORTED, 1);
}

/* NR-SACK is off by default (sctp_nrsack_enable = 0); SCTP_NRSACK_SUPPORTED on both sockets
 * makes the receiver acknowledge with NR-SACK chunks instead of SACK chunks. */
static void test_nr_sack(void)
{
	struct pair p;
	struct seen s;
	char got[96];
	int n;

	check_int("open a pair with NR-SACK on both sockets", open_pair(&p, 5006, nr_sack_on),
		  errno, 0, 0);
	check_int("SCTP_NRSACK_SUPPORTED of the client", get_value(p.client, SCTP_NRSACK_SUPPORTED),
		  errno, 1, 0);
	reset_seen();
	n = transfer(&p, 5, 0);
	check_int("100 messages acknowledged by NR-SACKs", n, 0, 100, 0);
	s = get_seen();
	snprintf(got, sizeof(got), "%lu NR-SACK, %lu SACK", s.nr_sack, s.sack);
	check_true("NR-SACK chunks and no SACK chunks", s.nr_sack > 0 && s.sack == 0, "NR-SACK only",
		   got);
	close_pair(&p);

	check_int("open a pair with the defaults", open_pair(&p, 5007, NULL), errno, 0, 0);
	check_int("SCTP_NRSACK_SUPPORTED by default", get_value(p.listener, SCTP_NRSACK_SUPPORTED),
		  errno, 0, 0);
	reset_seen();
	n = transfer(&p, 2, 0);
	check_int("40 messages acknowledged by SACKs", n, 0, 40, 0);
	s = get_seen();
	snprintf(got, sizeof(got), "%lu NR-SACK, %lu SACK", s.nr_sack, s.sack);
	check_true("SACK chunks only", s.nr_sack == 0 && s.sack > 0, "SACK only", got);
	close_pair(&p);
}

#ifdef SCTP_ACCEPT_ZERO_CHECKSUM
static void zero_checksum_both(struct socket *s, int is_listener)
{
	uint32_t edmid = SCTP_EDMID_LOWER_LAYER_DTLS;

	(void)is_listener;
	usrsctp_setsockopt(s, IPPROTO_SCTP, SCTP_ACCEPT_ZERO_CHECKSUM, &edmid, sizeof(edmid));
}

static void zero_checksum_server(struct socket *s, int is_listener)
{
	if (is_listener)
		zero_checksum_both(s, 1);
}

static void test_zero_checksum(void)
{
	struct pair p;
	struct seen s;
	struct socket *probe;
	uint32_t edmid = 2, value = 7;
	socklen_t len = sizeof(value);
	char got[96];
	int n;

	probe = usrsctp_socket(AF_CONN, SOCK_STREAM, IPPROTO_SCTP, NULL, NULL, 0, NULL);
	CHECK("SCTP_ACCEPT_ZERO_CHECKSUM EDMID 2",
	      usrsctp_setsockopt(probe, IPPROTO_SCTP, SCTP_ACCEPT_ZERO_CHECKSUM, &edmid,
				 sizeof(edmid)), -1, EINVAL);
	CHECK("read SCTP_ACCEPT_ZERO_CHECKSUM of a new socket",
	      usrsctp_getsockopt(probe, IPPROTO_SCTP, SCTP_ACCEPT_ZERO_CHECKSUM, &value, &len), 0, 0);
	check_u("  it is SCTP_EDMID_NONE", value, SCTP_EDMID_NONE);
	zero_checksum_both(probe, 0);
	len = sizeof(value);
	usrsctp_getsockopt(probe, IPPROTO_SCTP, SCTP_ACCEPT_ZERO_CHECKSUM, &value, &len);
	check_u("  after setting it: SCTP_EDMID_LOWER_LAYER_DTLS", value,
		SCTP_EDMID_LOWER_LAYER_DTLS);
	usrsctp_close(probe);

	reset_seen();
	check_int("open a pair accepting zero checksums", open_pair(&p, 5004, zero_checksum_both),
		  errno, 0, 0);
	n = transfer(&p, 10, 0);
	check_int("200 messages with zero checksums", n, 0, 200, 0);
	s = get_seen();
	snprintf(got, sizeof(got), "%lu CRCs, %lu zero, %lu zero handshake", s.crc,
		 s.zero_checksum, s.handshake_zero);
	/* INIT and INIT-ACK keep their CRC; everything else has checksum 0. */
	check_true("only INIT and INIT-ACK carry a CRC",
		   s.crc == 2 && s.zero_checksum + 2 == s.packets && s.handshake_zero == 0,
		   "2 CRCs", got);
	close_pair(&p);

	reset_seen();
	check_int("open a pair where only the server accepts",
		  open_pair(&p, 5005, zero_checksum_server), errno, 0, 0);
	n = transfer(&p, 5, 0);
	check_int("100 messages with CRCs", n, 0, 100, 0);
	s = get_seen();
	snprintf(got, sizeof(got), "%lu zero of %lu", s.zero_checksum, s.packets);
	check_true("no zero checksum when one end accepts", s.zero_checksum == 0 && s.packets > 0,
		   "0", got);
	close_pair(&p);
}
#endif

int main(void)
{
	usrsctp_init(0, output, NULL);
	usrsctp_register_address(&end_a);
	usrsctp_register_address(&end_b);
	test_ecn();
	test_nr_sack();
#ifdef SCTP_ACCEPT_ZERO_CHECKSUM
	test_zero_checksum();
#else
	printf("SCTP_ACCEPT_ZERO_CHECKSUM is not in this header: zero checksum not tested\n");
#endif
	usrsctp_deregister_address(&end_a);
	usrsctp_deregister_address(&end_b);
	for (int i = 0; i < 100 && usrsctp_finish() != 0; i++) {
		pump(0);
		usleep(10000);
	}
	return check_summary();
}
