/*
 * PR-SCTP, I-DATA and the stream schedulers through the socket API, over AF_CONN inside this
 * process: SCTP_PR_SUPPORTED, SCTP_INTERLEAVING_SUPPORTED, SCTP_DEFAULT_PRINFO,
 * SCTP_PLUGGABLE_SS, SCTP_SS_VALUE, SCTP_PR_ASSOC_STATUS and SCTP_PR_STREAM_STATUS (defaults,
 * round trips, errno of bad values), usrsctp_sendv with PRINFO and SPA (TTL, RTX, BUF), the
 * SCTP_SEND_FAILED_EVENT of abandoned messages with their data, the abandoned counters, a peer
 * without PR-SCTP, the COMM_UP sac_info, and I-DATA delivery of small messages while a large
 * one is still being read.
 *
 * Every expected value and errno is what Debian's libusrsctp 0.9.5 answers (run this program
 * with LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu to see). Where the libraries differ on
 * purpose the test says so and checks each one's answer:
 * - SCTP_PLUGGABLE_SS 6 (weighted fair queueing) is our extension; Debian answers EINVAL.
 * - SCTP_PR_SCTP_BUF: libusrsctp 0.9.5 never abandons for room (the count that guards its
 *   pruning is never raised), so a blocking send waits; ours abandons lower-priority messages.
 * - A fragmented message abandoned after it was sent: libusrsctp reports its first fragment
 *   only, we report the whole message.
 */
#include <netinet/in.h>
#include <pthread.h>

#include "check.h"
#include "conn_link.h"

#ifndef SCTP_INTERLEAVING_SUPPORTED
#define SCTP_INTERLEAVING_SUPPORTED 0x1206
#endif
#ifndef SCTP_PR_SCTP_ALL
#define SCTP_PR_SCTP_ALL 0x000f
#endif
#ifndef SCTP_SS_WEIGHTED_FAIR_QUEUEING
#define SCTP_SS_WEIGHTED_FAIR_QUEUEING 6
#endif

static struct link_end end_a, end_b;
static int ours; /* the library has the weighted fair queueing module: our extensions */

static void fail_setup(const char *what)
{
	printf("FAIL setup: %s (errno %s)\n", what, errname(errno));
	printf("%d passed, %d failed\n", passed, failed + 1);
	exit(1);
}

static struct socket *new_socket(int type)
{
	struct socket *so = usrsctp_socket(AF_CONN, type, IPPROTO_SCTP, NULL, NULL, 0, NULL);

	if (so == NULL)
		fail_setup("usrsctp_socket");
	return so;
}

static int set_av(struct socket *so, int opt, sctp_assoc_t id, uint32_t value)
{
	struct sctp_assoc_value av;

	av.assoc_id = id;
	av.assoc_value = value;
	return usrsctp_setsockopt(so, IPPROTO_SCTP, opt, &av, sizeof(av));
}

/* The value, or -1 with errno. */
static long get_av(struct socket *so, int opt, sctp_assoc_t id)
{
	struct sctp_assoc_value av;
	socklen_t len = sizeof(av);

	av.assoc_id = id;
	av.assoc_value = 0xdead;
	if (usrsctp_getsockopt(so, IPPROTO_SCTP, opt, &av, &len) != 0)
		return -1;
	return av.assoc_value;
}

static int set_int(struct socket *so, int opt, int v)
{
	return usrsctp_setsockopt(so, IPPROTO_SCTP, opt, &v, sizeof(v));
}

static int set_ss_value(struct socket *so, uint16_t sid, uint16_t value)
{
	struct sctp_stream_value sv;

	sv.assoc_id = 0;
	sv.stream_id = sid;
	sv.stream_value = value;
	return usrsctp_setsockopt(so, IPPROTO_SCTP, SCTP_SS_VALUE, &sv, sizeof(sv));
}

static long get_ss_value(struct socket *so, uint16_t sid)
{
	struct sctp_stream_value sv;
	socklen_t len = sizeof(sv);

	sv.assoc_id = 0;
	sv.stream_id = sid;
	sv.stream_value = 0xbeef;
	if (usrsctp_getsockopt(so, IPPROTO_SCTP, SCTP_SS_VALUE, &sv, &len) != 0)
		return -1;
	return sv.stream_value;
}

/* SCTP_PR_ASSOC_STATUS or SCTP_PR_STREAM_STATUS: 0 or -1 with errno; the counts in unsent and sent. */
static int prstatus(struct socket *so, int opt, uint16_t sid, uint16_t policy, uint64_t *unsent, uint64_t *sent)
{
	struct sctp_prstatus ps;
	socklen_t len = sizeof(ps);
	int r;

	memset(&ps, 0, sizeof(ps));
	ps.sprstat_sid = sid;
	ps.sprstat_policy = policy;
	r = usrsctp_getsockopt(so, IPPROTO_SCTP, opt, &ps, &len);
	*unsent = ps.sprstat_abandoned_unsent;
	*sent = ps.sprstat_abandoned_sent;
	return r;
}

static void subscribe(struct socket *so, uint16_t type)
{
	struct sctp_event ev;

	memset(&ev, 0, sizeof(ev));
	ev.se_type = type;
	ev.se_on = 1;
	if (usrsctp_setsockopt(so, IPPROTO_SCTP, SCTP_EVENT, &ev, sizeof(ev)) != 0)
		fail_setup("SCTP_EVENT");
}

static void bind_to(struct socket *so, struct link_end *end, uint16_t port)
{
	struct sockaddr_conn sc = link_addr(end, port);

	if (usrsctp_bind(so, (struct sockaddr *)&sc, sizeof(sc)) != 0)
		fail_setup("bind");
}

/* A listener on B:port and a client bound to A connected to it; the accepted socket. */
static struct socket *connect_pair(uint16_t port, struct socket *lst, struct socket *cli)
{
	struct sockaddr_conn sc = link_addr(&end_a, port);
	struct socket *acc;

	bind_to(lst, &end_b, port);
	if (usrsctp_listen(lst, 1) != 0)
		fail_setup("listen");
	bind_to(cli, &end_a, 0);
	if (usrsctp_connect(cli, (struct sockaddr *)&sc, sizeof(sc)) != 0)
		fail_setup("connect");
	acc = usrsctp_accept(lst, NULL, NULL);
	if (acc == NULL)
		fail_setup("accept");
	link_wait_quiet(50, 3000);
	return acc;
}

static void close_all(struct socket *a, struct socket *b, struct socket *c)
{
	usrsctp_close(a);
	usrsctp_close(b);
	usrsctp_close(c);
	link_wait_quiet(50, 3000);
}

static ssize_t send_pr(struct socket *so, const void *data, size_t len, uint16_t sid, uint16_t policy,
                       uint32_t value, uint32_t ppid)
{
	struct sctp_sendv_spa spa;

	memset(&spa, 0, sizeof(spa));
	spa.sendv_flags = SCTP_SEND_SNDINFO_VALID | SCTP_SEND_PRINFO_VALID;
	spa.sendv_sndinfo.snd_sid = sid;
	spa.sendv_sndinfo.snd_ppid = htonl(ppid);
	spa.sendv_sndinfo.snd_context = 77;
	spa.sendv_prinfo.pr_policy = policy;
	spa.sendv_prinfo.pr_value = value;
	return usrsctp_sendv(so, data, len, NULL, 0, &spa, sizeof(spa), SCTP_SENDV_SPA, 0);
}

/* What a non-blocking read of everything queued on a socket found. */
struct drained {
	int comm_up, sac_pr, sac_interleaving;
	int failed, failed_sent, failed_unsent, failed_bad_info;
	size_t failed_bytes[8];      /* data bytes of SEND_FAILED per stream */
	unsigned char failed_first[16]; /* first data byte of each SEND_FAILED, in order */
	int data;
	unsigned char data_first[64];
	size_t data_len[64];
};

static void drain(struct socket *so, struct drained *d)
{
	static char buf[1 << 17];

	memset(d, 0, sizeof(*d));
	usrsctp_set_non_blocking(so, 1);
	for (;;) {
		struct sctp_rcvinfo ri;
		socklen_t il = sizeof(ri);
		unsigned int it = 0;
		int flags = 0;
		ssize_t n = usrsctp_recvv(so, buf, sizeof(buf), NULL, NULL, &ri, &il, &it, &flags);

		if (n <= 0)
			break;
		if (flags & MSG_NOTIFICATION) {
			union sctp_notification *sn = (union sctp_notification *)buf;

			if (sn->sn_header.sn_type == SCTP_ASSOC_CHANGE &&
			    sn->sn_assoc_change.sac_state == SCTP_COMM_UP) {
				struct sctp_assoc_change *c = &sn->sn_assoc_change;
				unsigned int i;

				d->comm_up++;
				for (i = 0; i + sizeof(*c) < c->sac_length; i++) {
					d->sac_pr |= c->sac_info[i] == SCTP_ASSOC_SUPPORTS_PR;
					d->sac_interleaving |= c->sac_info[i] == SCTP_ASSOC_SUPPORTS_INTERLEAVING;
				}
			} else if (sn->sn_header.sn_type == SCTP_SEND_FAILED_EVENT) {
				struct sctp_send_failed_event *f = &sn->sn_send_failed_event;
				size_t len = f->ssfe_length - sizeof(*f);

				if (f->ssfe_flags == SCTP_DATA_SENT)
					d->failed_sent++;
				else if (f->ssfe_flags == SCTP_DATA_UNSENT)
					d->failed_unsent++;
				if (f->ssfe_info.snd_context != 77 || f->ssfe_error != 0 || f->ssfe_info.snd_sid >= 8)
					d->failed_bad_info++;
				else
					d->failed_bytes[f->ssfe_info.snd_sid] += len;
				if (d->failed < 16)
					d->failed_first[d->failed] = len > 0 ? f->ssfe_data[0] : 0xff;
				d->failed++;
			}
		} else if (d->data < 64) {
			d->data_first[d->data] = (unsigned char)buf[0];
			d->data_len[d->data] = (size_t)n;
			d->data++;
		}
	}
	usrsctp_set_non_blocking(so, 0);
}

static void fast_rto(struct socket *so)
{
	struct sctp_rtoinfo r;

	memset(&r, 0, sizeof(r));
	r.srto_initial = 100;
	r.srto_min = 100;
	r.srto_max = 200;
	if (usrsctp_setsockopt(so, IPPROTO_SCTP, SCTP_RTOINFO, &r, sizeof(r)) != 0)
		fail_setup("SCTP_RTOINFO");
}

/* --- Options of a socket without association ------------------------------------------------- */

static void options_without_association(void)
{
	struct socket *so = new_socket(SOCK_STREAM), *many = new_socket(SOCK_SEQPACKET);
	struct sctp_default_prinfo dp;
	struct sctp_stream_value sv;
	socklen_t len;
	uint64_t u, s;
	int v;

	/* SCTP_PR_SUPPORTED: sctp_pr_enable (1) decides the default; any non-zero value is 1. */
	CHECK("PR_SUPPORTED default", get_av(so, SCTP_PR_SUPPORTED, 0), 1, 0);
	CHECK("PR_SUPPORTED set 0", set_av(so, SCTP_PR_SUPPORTED, 0, 0), 0, 0);
	CHECK("PR_SUPPORTED after set 0", get_av(so, SCTP_PR_SUPPORTED, 0), 0, 0);
	CHECK("PR_SUPPORTED set 7", set_av(so, SCTP_PR_SUPPORTED, 0, 7), 0, 0);
	CHECK("PR_SUPPORTED after set 7", get_av(so, SCTP_PR_SUPPORTED, 0), 1, 0);
	{
		struct sctp_assoc_value av = { 0, 1 };
		CHECK("PR_SUPPORTED set, short", usrsctp_setsockopt(so, IPPROTO_SCTP, SCTP_PR_SUPPORTED, &av, 4), -1, EINVAL);
	}
	CHECK("PR_SUPPORTED 1:M set SCTP_CURRENT_ASSOC", set_av(many, SCTP_PR_SUPPORTED, SCTP_CURRENT_ASSOC, 1), -1, EINVAL);
	CHECK("PR_SUPPORTED 1:M set SCTP_ALL_ASSOC", set_av(many, SCTP_PR_SUPPORTED, SCTP_ALL_ASSOC, 1), -1, EINVAL);
	CHECK("PR_SUPPORTED 1:M set unknown id", set_av(many, SCTP_PR_SUPPORTED, 77, 1), -1, ENOENT);
	CHECK("PR_SUPPORTED 1:M get SCTP_CURRENT_ASSOC", get_av(many, SCTP_PR_SUPPORTED, SCTP_CURRENT_ASSOC), -1, EINVAL);

	/* SCTP_INTERLEAVING_SUPPORTED: on only while SCTP_FRAGMENT_INTERLEAVE is 2. */
	CHECK("FRAGMENT_INTERLEAVE default", (len = sizeof(v), usrsctp_getsockopt(so, IPPROTO_SCTP, SCTP_FRAGMENT_INTERLEAVE, &v, &len) == 0 ? v : -1), 1, 0);
	CHECK("INTERLEAVING_SUPPORTED default", get_av(so, SCTP_INTERLEAVING_SUPPORTED, 0), 0, 0);
	CHECK("INTERLEAVING_SUPPORTED set 1, level 1", set_av(so, SCTP_INTERLEAVING_SUPPORTED, 0, 1), -1, EINVAL);
	CHECK("INTERLEAVING_SUPPORTED set 0, level 1", set_av(so, SCTP_INTERLEAVING_SUPPORTED, 0, 0), 0, 0);
	CHECK("FRAGMENT_INTERLEAVE set 0", set_int(so, SCTP_FRAGMENT_INTERLEAVE, 0), 0, 0);
	CHECK("INTERLEAVING_SUPPORTED set 1, level 0", set_av(so, SCTP_INTERLEAVING_SUPPORTED, 0, 1), -1, EINVAL);
	CHECK("FRAGMENT_INTERLEAVE set 3", set_int(so, SCTP_FRAGMENT_INTERLEAVE, 3), -1, EINVAL);
	CHECK("FRAGMENT_INTERLEAVE set 2", set_int(so, SCTP_FRAGMENT_INTERLEAVE, 2), 0, 0);
	CHECK("INTERLEAVING_SUPPORTED set 5, level 2", set_av(so, SCTP_INTERLEAVING_SUPPORTED, 0, 5), 0, 0);
	CHECK("INTERLEAVING_SUPPORTED after set 5", get_av(so, SCTP_INTERLEAVING_SUPPORTED, 0), 1, 0);
	CHECK("FRAGMENT_INTERLEAVE back to 0", set_int(so, SCTP_FRAGMENT_INTERLEAVE, 0), 0, 0);
	CHECK("INTERLEAVING_SUPPORTED stays on", get_av(so, SCTP_INTERLEAVING_SUPPORTED, 0), 1, 0);
	CHECK("INTERLEAVING_SUPPORTED 1:M set SCTP_ALL_ASSOC", (set_int(many, SCTP_FRAGMENT_INTERLEAVE, 2),
	      set_av(many, SCTP_INTERLEAVING_SUPPORTED, SCTP_ALL_ASSOC, 1)), -1, EINVAL);

	/* SCTP_PLUGGABLE_SS: modules 0 to 5 (sctp_default_ss_module, 0, is the default). */
	CHECK("PLUGGABLE_SS default", get_av(so, SCTP_PLUGGABLE_SS, 0), SCTP_SS_DEFAULT, 0);
	for (v = SCTP_SS_DEFAULT; v <= SCTP_SS_FIRST_COME; v++) {
		char name[64];

		snprintf(name, sizeof(name), "PLUGGABLE_SS set %d", v);
		CHECK(name, set_av(so, SCTP_PLUGGABLE_SS, 0, v), 0, 0);
		snprintf(name, sizeof(name), "PLUGGABLE_SS after set %d", v);
		CHECK(name, get_av(so, SCTP_PLUGGABLE_SS, 0), v, 0);
	}
	CHECK("PLUGGABLE_SS set 7", set_av(so, SCTP_PLUGGABLE_SS, 0, 7), -1, EINVAL);
	CHECK("PLUGGABLE_SS set -1", set_av(so, SCTP_PLUGGABLE_SS, 0, (uint32_t)-1), -1, EINVAL);
	CHECK("PLUGGABLE_SS unchanged by bad values", get_av(so, SCTP_PLUGGABLE_SS, 0), SCTP_SS_FIRST_COME, 0);
	errno = 0;
	ours = set_av(so, SCTP_PLUGGABLE_SS, 0, SCTP_SS_WEIGHTED_FAIR_QUEUEING) == 0;
	if (ours)
		CHECK("PLUGGABLE_SS weighted fair queueing (extension)", get_av(so, SCTP_PLUGGABLE_SS, 0),
		      SCTP_SS_WEIGHTED_FAIR_QUEUEING, 0);
	else
		check_int("PLUGGABLE_SS 6 (Debian: no such module)", -1, errno, -1, EINVAL);
	CHECK("PLUGGABLE_SS 1:M set SCTP_CURRENT_ASSOC", set_av(many, SCTP_PLUGGABLE_SS, SCTP_CURRENT_ASSOC, 3), 0, 0);
	CHECK("PLUGGABLE_SS 1:M future unchanged by CURRENT", get_av(many, SCTP_PLUGGABLE_SS, SCTP_FUTURE_ASSOC), 0, 0);
	CHECK("PLUGGABLE_SS 1:M set SCTP_ALL_ASSOC", set_av(many, SCTP_PLUGGABLE_SS, SCTP_ALL_ASSOC, 2), 0, 0);
	CHECK("PLUGGABLE_SS 1:M future after ALL", get_av(many, SCTP_PLUGGABLE_SS, SCTP_FUTURE_ASSOC), 2, 0);
	CHECK("PLUGGABLE_SS 1:M set unknown id", set_av(many, SCTP_PLUGGABLE_SS, 77, 1), -1, ENOENT);
	CHECK("PLUGGABLE_SS 1:M get SCTP_ALL_ASSOC", get_av(many, SCTP_PLUGGABLE_SS, SCTP_ALL_ASSOC), -1, EINVAL);

	/* SCTP_SS_VALUE and the counters need an association. */
	CHECK("SS_VALUE set without association", set_ss_value(so, 1, 5), -1, EINVAL);
	len = sizeof(sv);
	memset(&sv, 0, sizeof(sv));
	CHECK("SS_VALUE get without association", usrsctp_getsockopt(so, IPPROTO_SCTP, SCTP_SS_VALUE, &sv, &len), -1, EINVAL);
	CHECK("PR_ASSOC_STATUS without association", prstatus(so, SCTP_PR_ASSOC_STATUS, 0, SCTP_PR_SCTP_ALL, &u, &s), -1, EINVAL);
	CHECK("PR_STREAM_STATUS without association", prstatus(so, SCTP_PR_STREAM_STATUS, 0, SCTP_PR_SCTP_ALL, &u, &s), -1, EINVAL);

	/* SCTP_DEFAULT_PRINFO: policies up to SCTP_PR_SCTP_RTX, the whole field is checked. */
	memset(&dp, 0, sizeof(dp));
	dp.pr_policy = SCTP_PR_SCTP_BUF;
	dp.pr_value = 5;
	CHECK("DEFAULT_PRINFO set BUF 5", usrsctp_setsockopt(so, IPPROTO_SCTP, SCTP_DEFAULT_PRINFO, &dp, sizeof(dp)), 0, 0);
	dp.pr_policy = 4;
	CHECK("DEFAULT_PRINFO set policy 4", usrsctp_setsockopt(so, IPPROTO_SCTP, SCTP_DEFAULT_PRINFO, &dp, sizeof(dp)), -1, EINVAL);
	dp.pr_policy = 0x10;
	CHECK("DEFAULT_PRINFO set policy 0x10", usrsctp_setsockopt(so, IPPROTO_SCTP, SCTP_DEFAULT_PRINFO, &dp, sizeof(dp)), -1, EINVAL);
	memset(&dp, 0, sizeof(dp));
	len = sizeof(dp);
	CHECK("DEFAULT_PRINFO get", usrsctp_getsockopt(so, IPPROTO_SCTP, SCTP_DEFAULT_PRINFO, &dp, &len), 0, 0);
	check_u("DEFAULT_PRINFO policy", dp.pr_policy, SCTP_PR_SCTP_BUF);
	check_u("DEFAULT_PRINFO value", dp.pr_value, 5);
	usrsctp_close(so);
	usrsctp_close(many);

	/* The sysctls give new sockets their defaults. */
	usrsctp_sysctl_set_sctp_default_ss_module(SCTP_SS_PRIORITY);
	usrsctp_sysctl_set_sctp_pr_enable(0);
	so = new_socket(SOCK_STREAM);
	CHECK("PLUGGABLE_SS from sctp_default_ss_module 3", get_av(so, SCTP_PLUGGABLE_SS, 0), SCTP_SS_PRIORITY, 0);
	CHECK("PR_SUPPORTED from sctp_pr_enable 0", get_av(so, SCTP_PR_SUPPORTED, 0), 0, 0);
	usrsctp_close(so);
	CHECK("sysctl sctp_default_ss_module 6", usrsctp_sysctl_set_sctp_default_ss_module(6), -1, 0);
	usrsctp_sysctl_set_sctp_default_ss_module(SCTP_SS_DEFAULT);
	usrsctp_sysctl_set_sctp_pr_enable(1);
}

/* --- Options of an association ---------------------------------------------------------------- */

static void options_of_an_association(void)
{
	struct socket *lst = new_socket(SOCK_STREAM), *cli = new_socket(SOCK_STREAM), *acc;
	struct drained d;
	uint64_t u, s;
	char data[16] = { 0 };
	struct sctp_sendv_spa spa;
	struct sctp_prinfo pi;
	int m;

	subscribe(cli, SCTP_ASSOC_CHANGE);
	set_int(cli, SCTP_FRAGMENT_INTERLEAVE, 2);
	set_int(lst, SCTP_FRAGMENT_INTERLEAVE, 2);
	CHECK("client INTERLEAVING_SUPPORTED 1", set_av(cli, SCTP_INTERLEAVING_SUPPORTED, 0, 1), 0, 0);
	CHECK("listener INTERLEAVING_SUPPORTED 1", set_av(lst, SCTP_INTERLEAVING_SUPPORTED, 0, 1), 0, 0);
	acc = connect_pair(6101, lst, cli);
	drain(cli, &d);
	check_u("COMM_UP", d.comm_up, 1);
	check_u("COMM_UP sac_info has SCTP_ASSOC_SUPPORTS_PR", d.sac_pr, 1);
	check_u("COMM_UP sac_info has SCTP_ASSOC_SUPPORTS_INTERLEAVING", d.sac_interleaving, 1);
	CHECK("PR_SUPPORTED of the association", get_av(cli, SCTP_PR_SUPPORTED, 0), 1, 0);
	CHECK("INTERLEAVING_SUPPORTED of the association", get_av(cli, SCTP_INTERLEAVING_SUPPORTED, 0), 1, 0);
	CHECK("INTERLEAVING_SUPPORTED of the accepted socket", get_av(acc, SCTP_INTERLEAVING_SUPPORTED, 0), 1, 0);
	CHECK("PR_SUPPORTED set on a live association", set_av(cli, SCTP_PR_SUPPORTED, 0, 0), -1, EINVAL);
	CHECK("INTERLEAVING_SUPPORTED set on a live association", set_av(cli, SCTP_INTERLEAVING_SUPPORTED, 0, 0), -1, EINVAL);

	/* SCTP_SS_VALUE: only the priority module has values (and ours, weighted fair queueing). */
	CHECK("PLUGGABLE_SS of the association", get_av(cli, SCTP_PLUGGABLE_SS, 0), SCTP_SS_DEFAULT, 0);
	for (m = SCTP_SS_DEFAULT; m <= SCTP_SS_FIRST_COME; m++) {
		char name[80];
		int prio = m == SCTP_SS_PRIORITY;

		set_av(cli, SCTP_PLUGGABLE_SS, 0, m);
		snprintf(name, sizeof(name), "SS_VALUE get, module %d", m);
		CHECK(name, get_ss_value(cli, 1), prio ? 0 : -1, prio ? 0 : EINVAL);
		snprintf(name, sizeof(name), "SS_VALUE set, module %d", m);
		CHECK(name, set_ss_value(cli, 1, 7), prio ? 0 : -1, prio ? 0 : EINVAL);
		if (prio) {
			CHECK("SS_VALUE priority round trip", get_ss_value(cli, 1), 7, 0);
			CHECK("SS_VALUE 65535", set_ss_value(cli, 9, 65535), 0, 0);
			CHECK("SS_VALUE stream 10 of 10", set_ss_value(cli, 10, 1), -1, EINVAL);
			CHECK("SS_VALUE get stream 10 of 10", get_ss_value(cli, 10), -1, EINVAL);
		}
	}
	set_av(cli, SCTP_PLUGGABLE_SS, 0, SCTP_SS_PRIORITY);
	CHECK("SS_VALUE kept across module changes", get_ss_value(cli, 1), 7, 0);
	if (ours) {
		set_av(cli, SCTP_PLUGGABLE_SS, 0, SCTP_SS_WEIGHTED_FAIR_QUEUEING);
		CHECK("SS_VALUE weight (extension) set", set_ss_value(cli, 2, 512), 0, 0);
		CHECK("SS_VALUE weight (extension) get", get_ss_value(cli, 2), 512, 0);
	}

	/* The counters: a policy (TTL, BUF, RTX) or SCTP_PR_SCTP_ALL; streams only ALL. */
	CHECK("PR_ASSOC_STATUS policy NONE", prstatus(cli, SCTP_PR_ASSOC_STATUS, 0, SCTP_PR_SCTP_NONE, &u, &s), -1, EINVAL);
	CHECK("PR_ASSOC_STATUS policy TTL", prstatus(cli, SCTP_PR_ASSOC_STATUS, 0, SCTP_PR_SCTP_TTL, &u, &s), 0, 0);
	CHECK("PR_ASSOC_STATUS policy BUF", prstatus(cli, SCTP_PR_ASSOC_STATUS, 0, SCTP_PR_SCTP_BUF, &u, &s), 0, 0);
	CHECK("PR_ASSOC_STATUS policy RTX", prstatus(cli, SCTP_PR_ASSOC_STATUS, 0, SCTP_PR_SCTP_RTX, &u, &s), 0, 0);
	CHECK("PR_ASSOC_STATUS policy ALL", prstatus(cli, SCTP_PR_ASSOC_STATUS, 0, SCTP_PR_SCTP_ALL, &u, &s), 0, 0);
	check_u("PR_ASSOC_STATUS ALL unsent, nothing abandoned", u, 0);
	check_u("PR_ASSOC_STATUS ALL sent, nothing abandoned", s, 0);
	CHECK("PR_ASSOC_STATUS policy 4", prstatus(cli, SCTP_PR_ASSOC_STATUS, 0, 4, &u, &s), -1, EINVAL);
	CHECK("PR_ASSOC_STATUS policy 0x10", prstatus(cli, SCTP_PR_ASSOC_STATUS, 0, 0x10, &u, &s), -1, EINVAL);
	CHECK("PR_STREAM_STATUS policy ALL", prstatus(cli, SCTP_PR_STREAM_STATUS, 1, SCTP_PR_SCTP_ALL, &u, &s), 0, 0);
	CHECK("PR_STREAM_STATUS policy TTL", prstatus(cli, SCTP_PR_STREAM_STATUS, 1, SCTP_PR_SCTP_TTL, &u, &s), -1, EINVAL);
	CHECK("PR_STREAM_STATUS policy NONE", prstatus(cli, SCTP_PR_STREAM_STATUS, 1, SCTP_PR_SCTP_NONE, &u, &s), -1, EINVAL);
	CHECK("PR_STREAM_STATUS stream 10 of 10", prstatus(cli, SCTP_PR_STREAM_STATUS, 10, SCTP_PR_SCTP_ALL, &u, &s), -1, EINVAL);
	{
		struct sctp_prstatus ps;
		socklen_t len = sizeof(ps) - 1;

		memset(&ps, 0, sizeof(ps));
		CHECK("PR_ASSOC_STATUS short", usrsctp_getsockopt(cli, IPPROTO_SCTP, SCTP_PR_ASSOC_STATUS, &ps, &len), -1, EINVAL);
	}

	/* usrsctp_sendv checks the policy's low four bits (PR_SCTP_INVALID_POLICY). */
	memset(&spa, 0, sizeof(spa));
	spa.sendv_flags = SCTP_SEND_PRINFO_VALID;
	spa.sendv_prinfo.pr_policy = 4;
	CHECK("sendv SPA policy 4", usrsctp_sendv(cli, data, 10, NULL, 0, &spa, sizeof(spa), SCTP_SENDV_SPA, 0), -1, EINVAL);
	spa.sendv_prinfo.pr_policy = 0x11;
	CHECK("sendv SPA policy 0x11 (TTL)", usrsctp_sendv(cli, data, 10, NULL, 0, &spa, sizeof(spa), SCTP_SENDV_SPA, 0), 10, 0);
	pi.pr_policy = SCTP_PR_SCTP_TTL;
	pi.pr_value = 0;
	CHECK("sendv PRINFO TTL 0", usrsctp_sendv(cli, data, 10, NULL, 0, &pi, sizeof(pi), SCTP_SENDV_PRINFO, 0), 10, 0);
	pi.pr_policy = 7;
	CHECK("sendv PRINFO policy 7", usrsctp_sendv(cli, data, 10, NULL, 0, &pi, sizeof(pi), SCTP_SENDV_PRINFO, 0), -1, EINVAL);
	pi.pr_policy = SCTP_PR_SCTP_RTX;
	pi.pr_value = 3;
	CHECK("sendv PRINFO RTX 3", usrsctp_sendv(cli, data, 10, NULL, 0, &pi, sizeof(pi), SCTP_SENDV_PRINFO, 0), 10, 0);
	close_all(cli, acc, lst);
}

/* --- Stream schedulers: the order messages go out ------------------------------------------- */

/*
 * With the link held, 30 messages of 1000 bytes are queued on streams 1 to 3; the receiver lists
 * their streams in TSN order. The first four leave at once (the initial cwnd), the rest in the
 * module's order: the expected sequences are what Debian's library sends (default round robin,
 * round robin by
 * stream id, priority with stream 1 worse than 2 and 3, first come, fair bandwidth). Round
 * robin per packet differs (see src/tx/scheduler.rs).
 */
static void scheduler_order(int module, const char *want, uint16_t port)
{
	static const uint16_t sids[30] = { 3, 1, 1, 2, 1, 3, 2, 1, 1, 1, 2, 2, 3, 3, 1,
	                                   1, 1, 1, 2, 1, 3, 1, 1, 1, 1, 1, 1, 1, 2, 3 };
	struct socket *lst = new_socket(SOCK_STREAM), *cli = new_socket(SOCK_STREAM), *acc;
	struct { uint32_t tsn; uint16_t sid; } got[30];
	char data[1000], seq[64], name[80];
	int on = 1, n = 0, i, j;

	usrsctp_setsockopt(cli, IPPROTO_SCTP, SCTP_NODELAY, &on, sizeof(on));
	acc = connect_pair(port, lst, cli);
	usrsctp_setsockopt(acc, IPPROTO_SCTP, SCTP_RECVRCVINFO, &on, sizeof(on));
	snprintf(name, sizeof(name), "scheduler %d: PLUGGABLE_SS", module);
	CHECK(name, set_av(cli, SCTP_PLUGGABLE_SS, 0, module), 0, 0);
	if (module == SCTP_SS_PRIORITY) {
		set_ss_value(cli, 1, 10);
		set_ss_value(cli, 2, 1);
		set_ss_value(cli, 3, 1);
	}
	memset(data, 0, sizeof(data));
	link_pause(1);
	for (i = 0; i < 30; i++)
		send_pr(cli, data, sizeof(data), sids[i], 0, 0, 1);
	link_pause(0);
	link_wait_quiet(200, 5000);
	usrsctp_set_non_blocking(acc, 1);
	while (n < 30) {
		struct sctp_rcvinfo ri;
		socklen_t il = sizeof(ri);
		unsigned int it = 0;
		int flags = 0;

		if (usrsctp_recvv(acc, data, sizeof(data), NULL, NULL, &ri, &il, &it, &flags) <= 0)
			break;
		if (flags & MSG_NOTIFICATION)
			continue;
		got[n].tsn = ri.rcv_tsn;
		got[n].sid = ri.rcv_sid;
		n++;
	}
	for (i = 0; i < n; i++)
		for (j = i + 1; j < n; j++)
			if ((int32_t)(got[j].tsn - got[i].tsn) < 0) {
				uint32_t t = got[i].tsn;
				uint16_t s = got[i].sid;

				got[i] = got[j];
				got[j].tsn = t;
				got[j].sid = s;
			}
	for (i = 0; i < n; i++)
		seq[i] = (char)('0' + got[i].sid);
	seq[n] = 0;
	snprintf(name, sizeof(name), "scheduler %d: streams in TSN order", module);
	check_true(name, strcmp(seq, want) == 0, want, seq);
	close_all(cli, acc, lst);
}

/* --- Abandonment ------------------------------------------------------------------------------- */

/*
 * Every packet is lost while six TTL messages (stream 1), a fragmented RTX-0 message (stream 2)
 * and a reliable one (stream 3) are sent; then the link comes back. The reliable message
 * arrives, the others are reported with their data and counted. With `peer_pr` 0 the peer does
 * not support PR-SCTP: everything arrives, nothing is abandoned.
 */
static void abandonment(int peer_pr, uint16_t port)
{
	struct socket *lst = new_socket(SOCK_STREAM), *cli = new_socket(SOCK_STREAM), *acc;
	struct drained d, r;
	char data[1500];
	uint64_t u, s, u2, s2;
	int i;
	char name[96];
	const char *who = peer_pr ? "PR" : "peer without PR";

	subscribe(cli, SCTP_ASSOC_CHANGE);
	subscribe(cli, SCTP_SEND_FAILED_EVENT);
	if (!peer_pr)
		set_av(lst, SCTP_PR_SUPPORTED, 0, 0);
	fast_rto(cli);
	acc = connect_pair(port, lst, cli);
	drain(cli, &d);
	snprintf(name, sizeof(name), "%s: COMM_UP sac_info lists PR", who);
	check_u(name, d.sac_pr, peer_pr);
	memset(data, 0, sizeof(data));
	link_set_loss(1);
	for (i = 0; i < 6; i++) {
		data[0] = (char)i;
		snprintf(name, sizeof(name), "%s: sendv TTL 300 ms #%d", who, i);
		CHECK(name, send_pr(cli, data, 1000, 1, SCTP_PR_SCTP_TTL, 300, 0x1234), 1000, 0);
	}
	data[0] = 50;
	snprintf(name, sizeof(name), "%s: sendv RTX 0, 1500 bytes", who);
	CHECK(name, send_pr(cli, data, 1500, 2, SCTP_PR_SCTP_RTX, 0, 0x55), 1500, 0);
	data[0] = 60;
	snprintf(name, sizeof(name), "%s: sendv reliable", who);
	CHECK(name, send_pr(cli, data, 100, 3, SCTP_PR_SCTP_NONE, 0, 0x66), 100, 0);
	usleep(900000);
	link_set_loss(0);
	link_wait_quiet(300, 8000);
	drain(cli, &d);
	drain(acc, &r);
	if (peer_pr) {
		check_u("PR: receiver got only the reliable message", r.data, 1);
		check_u("PR: it is the reliable one", r.data_first[0], 60);
		check_u("PR: SEND_FAILED with bad sid/context/error", d.failed_bad_info, 0);
		check_u("PR: SEND_FAILED data of the TTL messages (stream 1)", d.failed_bytes[1], 6000);
		check_true("PR: SEND_FAILED data of the RTX message (stream 2): 1252 (Debian, first fragment) or 1500",
		           d.failed_bytes[2] == 1252 || d.failed_bytes[2] == 1500, "1252 or 1500", "other");
		check_true("PR: every SEND_FAILED is SCTP_DATA_SENT or SCTP_DATA_UNSENT",
		           d.failed == d.failed_sent + d.failed_unsent, "all", "other");
		check_true("PR: the RTX message was on the wire (SCTP_DATA_SENT)", d.failed_sent >= 1, ">= 1", "0");
		CHECK("PR: PR_ASSOC_STATUS TTL", prstatus(cli, SCTP_PR_ASSOC_STATUS, 0, SCTP_PR_SCTP_TTL, &u, &s), 0, 0);
		check_u("PR: TTL messages abandoned (unsent + sent)", u + s, 6);
		CHECK("PR: PR_ASSOC_STATUS RTX", prstatus(cli, SCTP_PR_ASSOC_STATUS, 0, SCTP_PR_SCTP_RTX, &u2, &s2), 0, 0);
		check_u("PR: RTX message abandoned after it was sent", s2, 1);
		check_u("PR: RTX message not counted unsent", u2, 0);
		CHECK("PR: PR_ASSOC_STATUS ALL", prstatus(cli, SCTP_PR_ASSOC_STATUS, 0, SCTP_PR_SCTP_ALL, &u2, &s2), 0, 0);
		check_u("PR: ALL is the sum", u2 + s2, 7);
		check_u("PR: ALL sent = SCTP_DATA_SENT... counted per message", s2, s + 1);
		prstatus(cli, SCTP_PR_STREAM_STATUS, 1, SCTP_PR_SCTP_ALL, &u, &s);
		check_u("PR: PR_STREAM_STATUS stream 1", u + s, 6);
		prstatus(cli, SCTP_PR_STREAM_STATUS, 2, SCTP_PR_SCTP_ALL, &u, &s);
		check_u("PR: PR_STREAM_STATUS stream 2", u + s, 1);
		prstatus(cli, SCTP_PR_STREAM_STATUS, 3, SCTP_PR_SCTP_ALL, &u, &s);
		check_u("PR: PR_STREAM_STATUS stream 3", u + s, 0);
		/* The association goes on after the FORWARD-TSN. */
		data[0] = 70;
		CHECK("PR: reliable message afterwards", send_pr(cli, data, 100, 1, SCTP_PR_SCTP_NONE, 0, 1), 100, 0);
		link_wait_quiet(100, 3000);
		drain(acc, &r);
		check_u("PR: it arrives", r.data == 1 && r.data_first[0] == 70, 1);
	} else {
		check_u("peer without PR: all 8 messages arrive", r.data, 8);
		check_u("peer without PR: no SEND_FAILED", d.failed, 0);
		prstatus(cli, SCTP_PR_ASSOC_STATUS, 0, SCTP_PR_SCTP_ALL, &u, &s);
		check_u("peer without PR: nothing abandoned", u + s, 0);
	}
	close_all(cli, acc, lst);
}

/* --- SCTP_PR_SCTP_BUF ------------------------------------------------------------------------- */

static void *unpause_later(void *arg)
{
	(void)arg;
	sleep(2);
	link_pause(0);
	return NULL;
}

/*
 * The send buffer fills with priority 5..7 messages while the link holds every packet; then a
 * blocking send of priority 6 needs room. Ours abandons a priority-7 message (the oldest) at
 * once; libusrsctp 0.9.5 waits until the link delivers again and the peer acknowledges.
 */
static void buffer_policy(void)
{
	struct socket *lst = new_socket(SOCK_STREAM), *cli = new_socket(SOCK_STREAM), *acc;
	struct drained d, r;
	char data[1000];
	int sndbuf = 10000, i, queued;
	long t0, took;
	pthread_t t;
	uint64_t u, s;

	subscribe(cli, SCTP_SEND_FAILED_EVENT);
	usrsctp_setsockopt(cli, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof(sndbuf));
	acc = connect_pair(6104, lst, cli);
	memset(data, 0, sizeof(data));
	link_pause(1);
	usrsctp_set_non_blocking(cli, 1);
	for (i = 0; i < 40; i++) {
		data[0] = (char)i;
		if (send_pr(cli, data, sizeof(data), 1, SCTP_PR_SCTP_BUF, 5 + i % 3, 1) < 0)
			break;
	}
	queued = i;
	check_int("BUF: non-blocking send into a full buffer", -1, errno, -1, EWOULDBLOCK);
	usrsctp_set_non_blocking(cli, 0);
	if (pthread_create(&t, NULL, unpause_later, NULL) != 0)
		fail_setup("pthread_create");
	t0 = link_now_ms();
	data[0] = 100;
	CHECK("BUF: blocking send of priority 6", send_pr(cli, data, sizeof(data), 2, SCTP_PR_SCTP_BUF, 6, 2), 1000, 0);
	took = link_now_ms() - t0;
	pthread_join(t, NULL);
	link_wait_quiet(300, 5000);
	drain(cli, &d);
	drain(acc, &r);
	prstatus(cli, SCTP_PR_ASSOC_STATUS, 0, SCTP_PR_SCTP_BUF, &u, &s);
	if (ours) {
		check_true("BUF (ours): the send did not wait", took < 1000, "< 1000 ms", "waited");
		check_true("BUF (ours): priority-7 messages abandoned", d.failed >= 1, ">= 1", "0");
		check_u("BUF (ours): the abandoned are all priority 7 (first byte % 3 == 2)",
		        d.failed > 0 && d.failed_first[0] % 3 == 2 && (d.failed < 2 || d.failed_first[1] % 3 == 2), 1);
		check_u("BUF (ours): counted as BUF", u + s, (uint64_t)d.failed);
		/* An abandoned message that was already on the wire may still arrive (the link held it). */
		check_true("BUF (ours): the rest arrives, the unsent abandoned ones never",
		           r.data >= queued + 1 - d.failed && r.data <= queued + 1 - d.failed_unsent,
		           "all but the abandoned", "other");
	} else {
		check_true("BUF (Debian): the send waited for room", took >= 1000, ">= 1000 ms", "at once");
		check_u("BUF (Debian): nothing abandoned", d.failed, 0);
		check_u("BUF (Debian): everything arrives", r.data, queued + 1);
	}
	close_all(cli, acc, lst);
}

/* --- I-DATA: small messages are read while a large one is still coming ------------------------- */

static void interleaved_delivery(void)
{
	struct socket *lst = new_socket(SOCK_STREAM), *cli = new_socket(SOCK_STREAM), *acc;
	static char big[300000], buf[70000];
	char small[100];
	int sndbuf = 1 << 20, on = 1, i, small_before_end = 0, small_total = 0, big_done = 0;
	size_t big_bytes = 0;

	usrsctp_setsockopt(cli, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof(sndbuf));
	set_int(cli, SCTP_FRAGMENT_INTERLEAVE, 2);
	set_int(lst, SCTP_FRAGMENT_INTERLEAVE, 2);
	set_av(cli, SCTP_INTERLEAVING_SUPPORTED, 0, 1);
	set_av(lst, SCTP_INTERLEAVING_SUPPORTED, 0, 1);
	set_int(cli, SCTP_NODELAY, 1);
	acc = connect_pair(6105, lst, cli);
	usrsctp_setsockopt(acc, IPPROTO_SCTP, SCTP_RECVRCVINFO, &on, sizeof(on));
	memset(big, 1, sizeof(big));
	memset(small, 2, sizeof(small));
	CHECK("I-DATA: 300 kB message on stream 1", send_pr(cli, big, sizeof(big), 1, 0, 0, 1), (long)sizeof(big), 0);
	for (i = 0; i < 10; i++)
		CHECK("I-DATA: small message on stream 2", send_pr(cli, small, sizeof(small), 2, 0, 0, 2), 100, 0);
	while (!big_done || small_total < 10) {
		struct sctp_rcvinfo ri;
		socklen_t il = sizeof(ri);
		unsigned int it = 0;
		int flags = 0;
		ssize_t n = usrsctp_recvv(acc, buf, sizeof(buf), NULL, NULL, &ri, &il, &it, &flags);

		if (n <= 0)
			break;
		if (ri.rcv_sid == 1) {
			big_bytes += (size_t)n;
			big_done = (flags & MSG_EOR) != 0;
		} else {
			small_total++;
			if (!big_done)
				small_before_end++;
		}
	}
	check_u("I-DATA: the large message arrives whole", big_bytes, sizeof(big));
	check_u("I-DATA: all small messages arrive", small_total, 10);
	check_true("I-DATA level 2: small messages are read before the large one ends",
	           small_before_end > 0, "> 0", small_before_end > 0 ? "> 0" : "0");
	close_all(cli, acc, lst);
}

/* Sends `len` bytes on stream 0, ending the message (SCTP_EOR) or not (SCTP_EXPLICIT_EOR). */
static ssize_t send_part(struct socket *so, const void *data, size_t len, int eor)
{
	struct sctp_sndinfo si;

	memset(&si, 0, sizeof(si));
	si.snd_flags = eor ? SCTP_EOR : 0;
	return usrsctp_sendv(so, data, len, NULL, 0, &si, sizeof(si), SCTP_SENDV_SNDINFO, 0);
}

/* Reads of a one-to-many socket: who was partly read, and how often another came in between. */
struct reads {
	int mixed, pieces, messages;
	size_t total;
	sctp_assoc_t partial;
};

/* Reads until `messages` messages ended, or (non-blocking) until nothing is left. */
static void read_from(struct socket *so, struct reads *r, int messages, int non_blocking)
{
	static char buf[70000];

	usrsctp_set_non_blocking(so, non_blocking);
	while (r->messages < messages) {
		struct sctp_rcvinfo ri;
		socklen_t il = sizeof(ri);
		unsigned int it = 0;
		int flags = 0;
		ssize_t n = usrsctp_recvv(so, buf, sizeof(buf), NULL, NULL, &ri, &il, &it, &flags);

		if (n <= 0)
			break;
		if (flags & MSG_NOTIFICATION)
			continue;
		r->pieces++;
		r->total += (size_t)n;
		if (r->partial != 0 && ri.rcv_assoc_id != r->partial)
			r->mixed++;
		r->partial = (flags & MSG_EOR) ? 0 : ri.rcv_assoc_id;
		r->messages += (flags & MSG_EOR) != 0;
	}
	usrsctp_set_non_blocking(so, 0);
}

/*
 * SCTP_FRAGMENT_INTERLEAVE on a one-to-many socket. Client 1 sends the first 100 kB of a
 * message, which the server starts to read; then client 2 sends a whole small message, which
 * the server tries to read, then client 1 the end of its message. At level 0 the small message
 * is read only after the end of the large one; at level 1 it comes in between.
 */
static void fragment_interleave_across_associations(int level, uint16_t port)
{
	struct socket *srv = new_socket(SOCK_SEQPACKET), *c1 = new_socket(SOCK_STREAM), *c2 = new_socket(SOCK_STREAM);
	struct sockaddr_conn sc = link_addr(&end_a, port);
	static char big[100000];
	int sndbuf = 1 << 20, on = 1;
	struct reads r;
	char name[96];

	memset(&r, 0, sizeof(r));
	bind_to(srv, &end_b, port);
	snprintf(name, sizeof(name), "level %d: FRAGMENT_INTERLEAVE on a one-to-many socket", level);
	CHECK(name, set_int(srv, SCTP_FRAGMENT_INTERLEAVE, level), 0, 0);
	usrsctp_setsockopt(srv, IPPROTO_SCTP, SCTP_RECVRCVINFO, &on, sizeof(on));
	if (usrsctp_listen(srv, 4) != 0)
		fail_setup("listen");
	usrsctp_setsockopt(c1, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof(sndbuf));
	usrsctp_setsockopt(c1, IPPROTO_SCTP, SCTP_EXPLICIT_EOR, &on, sizeof(on));
	usrsctp_setsockopt(c1, IPPROTO_SCTP, SCTP_NODELAY, &on, sizeof(on));
	bind_to(c1, &end_a, 0);
	bind_to(c2, &end_a, 0);
	if (usrsctp_connect(c1, (struct sockaddr *)&sc, sizeof(sc)) != 0 ||
	    usrsctp_connect(c2, (struct sockaddr *)&sc, sizeof(sc)) != 0)
		fail_setup("connect");
	memset(big, 3, sizeof(big));
	snprintf(name, sizeof(name), "level %d: first 100 kB of client 1's message", level);
	CHECK(name, send_part(c1, big, sizeof(big), 0), (long)sizeof(big), 0);
	link_wait_quiet(100, 3000);
	read_from(srv, &r, 2, 1);
	snprintf(name, sizeof(name), "level %d: the start of it is read", level);
	check_true(name, r.pieces > 0 && r.partial != 0, "partly read", "not");
	snprintf(name, sizeof(name), "level %d: client 2's message", level);
	CHECK(name, send_part(c2, big, 100, 1), 100, 0);
	link_wait_quiet(100, 3000);
	read_from(srv, &r, 2, 1);
	snprintf(name, sizeof(name), "level %d: client 2's message read before client 1's end", level);
	check_u(name, r.messages, level == 0 ? 0 : 1);
	snprintf(name, sizeof(name), "level %d: end of client 1's message", level);
	CHECK(name, send_part(c1, big, 1000, 1), 1000, 0);
	link_wait_quiet(100, 3000);
	read_from(srv, &r, 2, 0);
	snprintf(name, sizeof(name), "level %d: both messages arrive", level);
	check_u(name, r.total, sizeof(big) + 1100);
	snprintf(name, sizeof(name), "level %d: the small message inside the large one", level);
	check_u(name, r.mixed, level == 0 ? 0 : 1);
	usrsctp_close(c1);
	usrsctp_close(c2);
	usrsctp_close(srv);
	link_wait_quiet(50, 3000);
}

int main(void)
{
	alarm(100);
	usrsctp_init(0, link_output, NULL);
	link_start();
	link_join(&end_a, &end_b);

	options_without_association();
	options_of_an_association();
	scheduler_order(SCTP_SS_DEFAULT, "311213213213213213121111111111", 6109);
	scheduler_order(SCTP_SS_ROUND_ROBIN, "311231231231231231211111111111", 6110);
	scheduler_order(SCTP_SS_PRIORITY, "311232323232321111111111111111", 6111);
	scheduler_order(SCTP_SS_FIRST_COME, "311213211122331111213111111123", 6112);
	scheduler_order(SCTP_SS_FAIR_BANDWITH, "311213213213213213211111111111", 6113);
	abandonment(1, 6102);
	abandonment(0, 6103);
	buffer_policy();
	interleaved_delivery();
	fragment_interleave_across_associations(0, 6106);
	fragment_interleave_across_associations(1, 6107);

	link_wait_quiet(100, 3000);
	link_stop();
	link_unjoin(&end_a, &end_b);
	CHECK("finish", link_finish(5000), 0, 0);
	return check_summary();
}
