/*
 * Socket options of the usrsctp manual: defaults, set/get round trips, and the association id
 * rules (SCTP_FUTURE_ASSOC, SCTP_CURRENT_ASSOC, SCTP_ALL_ASSOC, a real id, a wrong id), on
 * unconnected sockets and on AF_CONN associations inside this process, plus usrsctp_opt_info.
 *
 * Every expected value, default or error is what Debian's libusrsctp 0.9.5 reports (observed by
 * running this program against it).
 */
#include <netinet/in.h>
#include "conn_link.h"
#include "check.h"

static struct link_end end_a, end_b; /* clients bind to A and connect to A:port; servers bind to B */

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

static void bind_to(struct socket *so, struct link_end *end, uint16_t port)
{
	struct sockaddr_conn sc = link_addr(end, port);

	if (usrsctp_bind(so, (struct sockaddr *)&sc, sizeof(sc)) != 0)
		fail_setup("bind");
}

/* A one-to-one client bound to A, connected (blocking) to B:port. */
static struct socket *client_to(uint16_t port)
{
	struct socket *so = new_socket(SOCK_STREAM);
	struct sockaddr_conn sc = link_addr(&end_a, port);

	bind_to(so, &end_a, 0);
	if (usrsctp_connect(so, (struct sockaddr *)&sc, sizeof(sc)) != 0)
		fail_setup("connect");
	return so;
}

/* getsockopt into buf of size len; the result, with errno in *err. */
static int get(struct socket *so, int level, int opt, void *buf, socklen_t len, int *err)
{
	int r;

	errno = 0;
	r = usrsctp_getsockopt(so, level, opt, buf, &len);
	*err = errno;
	return r;
}

static int set(struct socket *so, int level, int opt, const void *buf, socklen_t len)
{
	return usrsctp_setsockopt(so, level, opt, buf, len);
}

/* --- Integer options (int-sized, no association id) --------------------------------------------- */

static int get_int(struct socket *so, int level, int opt, int *err)
{
	int v = -12345;

	if (get(so, level, opt, &v, sizeof(v), err) != 0)
		return -12345;
	return v;
}

static void int_option(struct socket *so, const char *what, int level, int opt, int def, int new_val,
                       int want_after)
{
	char name[96];
	int err, v;

	snprintf(name, sizeof(name), "%s default", what);
	v = get_int(so, level, opt, &err);
	check_int(name, v, err, def, 0);
	snprintf(name, sizeof(name), "%s set %d", what, new_val);
	CHECK(name, set(so, level, opt, &new_val, sizeof(new_val)), 0, 0);
	snprintf(name, sizeof(name), "%s get after set %d", what, new_val);
	v = get_int(so, level, opt, &err);
	check_int(name, v, err, want_after, 0);
}

/* --- struct sctp_assoc_value options ---------------------------------------------------------- */

static long get_av(struct socket *so, int opt, sctp_assoc_t id, int *err)
{
	struct sctp_assoc_value av;

	memset(&av, 0, sizeof(av));
	av.assoc_id = id;
	if (get(so, IPPROTO_SCTP, opt, &av, sizeof(av), err) != 0)
		return -1;
	return av.assoc_value;
}

static int set_av(struct socket *so, int opt, sctp_assoc_t id, uint32_t value)
{
	struct sctp_assoc_value av;

	av.assoc_id = id;
	av.assoc_value = value;
	return set(so, IPPROTO_SCTP, opt, &av, sizeof(av));
}

#define CHECK_AV(name, so, opt, id, want) do { \
	int e_; long v_ = get_av(so, opt, id, &e_); \
	check_int(name, v_, e_, want, 0); \
} while (0)

/* --- Unconnected sockets ---------------------------------------------------------------------- */

static void defaults_and_round_trips(void)
{
	struct socket *so = new_socket(SOCK_STREAM);
	int err;

	/* SCTP_RTOINFO */
	{
		struct sctp_rtoinfo rto;

		memset(&rto, 0, sizeof(rto));
		CHECK("SCTP_RTOINFO get", get(so, IPPROTO_SCTP, SCTP_RTOINFO, &rto, sizeof(rto), &err), 0, 0);
		check_u("SCTP_RTOINFO default srto_initial", rto.srto_initial, 3000);
		check_u("SCTP_RTOINFO default srto_max", rto.srto_max, 60000);
		check_u("SCTP_RTOINFO default srto_min", rto.srto_min, 1000);
		rto.srto_assoc_id = SCTP_FUTURE_ASSOC;
		rto.srto_initial = 500;
		rto.srto_max = 8000;
		rto.srto_min = 200;
		CHECK("SCTP_RTOINFO set 500/8000/200", set(so, IPPROTO_SCTP, SCTP_RTOINFO, &rto, sizeof(rto)), 0, 0);
		rto.srto_initial = 0; /* 0 leaves a field as it is */
		rto.srto_max = 9000;
		rto.srto_min = 0;
		CHECK("SCTP_RTOINFO set 0/9000/0", set(so, IPPROTO_SCTP, SCTP_RTOINFO, &rto, sizeof(rto)), 0, 0);
		memset(&rto, 0, sizeof(rto));
		get(so, IPPROTO_SCTP, SCTP_RTOINFO, &rto, sizeof(rto), &err);
		check_u("SCTP_RTOINFO after: srto_initial", rto.srto_initial, 500);
		check_u("SCTP_RTOINFO after: srto_max", rto.srto_max, 9000);
		check_u("SCTP_RTOINFO after: srto_min", rto.srto_min, 200);
	}
	/* SCTP_ASSOCINFO */
	{
		struct sctp_assocparams ap;

		memset(&ap, 0, sizeof(ap));
		CHECK("SCTP_ASSOCINFO get", get(so, IPPROTO_SCTP, SCTP_ASSOCINFO, &ap, sizeof(ap), &err), 0, 0);
		check_u("SCTP_ASSOCINFO default sasoc_peer_rwnd", ap.sasoc_peer_rwnd, 0);
		check_u("SCTP_ASSOCINFO default sasoc_local_rwnd", ap.sasoc_local_rwnd, 131072);
		check_u("SCTP_ASSOCINFO default sasoc_cookie_life", ap.sasoc_cookie_life, 60000);
		check_u("SCTP_ASSOCINFO default sasoc_asocmaxrxt", ap.sasoc_asocmaxrxt, 10);
		check_u("SCTP_ASSOCINFO default sasoc_number_peer_destinations",
		        ap.sasoc_number_peer_destinations, 0);
		memset(&ap, 0, sizeof(ap));
		ap.sasoc_cookie_life = 30000;
		ap.sasoc_asocmaxrxt = 6;
		CHECK("SCTP_ASSOCINFO set cookie 30000, maxrxt 6",
		      set(so, IPPROTO_SCTP, SCTP_ASSOCINFO, &ap, sizeof(ap)), 0, 0);
		memset(&ap, 0, sizeof(ap));
		get(so, IPPROTO_SCTP, SCTP_ASSOCINFO, &ap, sizeof(ap), &err);
		check_u("SCTP_ASSOCINFO after: sasoc_cookie_life", ap.sasoc_cookie_life, 30000);
		check_u("SCTP_ASSOCINFO after: sasoc_asocmaxrxt", ap.sasoc_asocmaxrxt, 6);
	}
	/* SCTP_INITMSG */
	{
		struct sctp_initmsg im;

		memset(&im, 0, sizeof(im));
		CHECK("SCTP_INITMSG get", get(so, IPPROTO_SCTP, SCTP_INITMSG, &im, sizeof(im), &err), 0, 0);
		check_u("SCTP_INITMSG default sinit_num_ostreams", im.sinit_num_ostreams, 10);
		check_u("SCTP_INITMSG default sinit_max_instreams", im.sinit_max_instreams, 2048);
		check_u("SCTP_INITMSG default sinit_max_attempts", im.sinit_max_attempts, 8);
		check_u("SCTP_INITMSG default sinit_max_init_timeo", im.sinit_max_init_timeo, 60000);
		im.sinit_num_ostreams = 20;
		im.sinit_max_instreams = 30;
		im.sinit_max_attempts = 0; /* 0 leaves it */
		im.sinit_max_init_timeo = 5000;
		CHECK("SCTP_INITMSG set 20/30/0/5000", set(so, IPPROTO_SCTP, SCTP_INITMSG, &im, sizeof(im)), 0, 0);
		memset(&im, 0, sizeof(im));
		get(so, IPPROTO_SCTP, SCTP_INITMSG, &im, sizeof(im), &err);
		check_u("SCTP_INITMSG after: sinit_num_ostreams", im.sinit_num_ostreams, 20);
		check_u("SCTP_INITMSG after: sinit_max_instreams", im.sinit_max_instreams, 30);
		check_u("SCTP_INITMSG after: sinit_max_attempts", im.sinit_max_attempts, 8);
		check_u("SCTP_INITMSG after: sinit_max_init_timeo", im.sinit_max_init_timeo, 5000);
	}
	int_option(so, "SCTP_NODELAY", IPPROTO_SCTP, SCTP_NODELAY, 0, 1, 1);
	/* Autoclose is for one-to-many sockets only (see below). */
	check_int("SCTP_AUTOCLOSE default", get_int(so, IPPROTO_SCTP, SCTP_AUTOCLOSE, &err), err, 0, 0);
	{
		int thirty = 30;
		CHECK("SCTP_AUTOCLOSE set 30, one-to-one", set(so, IPPROTO_SCTP, SCTP_AUTOCLOSE, &thirty,
		      sizeof(thirty)), -1, EINVAL);
	}
	/* SCTP_ADAPTATION_LAYER */
	{
		struct sctp_setadaptation ad;

		ad.ssb_adaptation_ind = 77;
		CHECK("SCTP_ADAPTATION_LAYER get", get(so, IPPROTO_SCTP, SCTP_ADAPTATION_LAYER, &ad, sizeof(ad), &err),
		      0, 0);
		check_u("SCTP_ADAPTATION_LAYER default", ad.ssb_adaptation_ind, 0);
		ad.ssb_adaptation_ind = 0x01020304;
		CHECK("SCTP_ADAPTATION_LAYER set 0x01020304",
		      set(so, IPPROTO_SCTP, SCTP_ADAPTATION_LAYER, &ad, sizeof(ad)), 0, 0);
		ad.ssb_adaptation_ind = 0;
		get(so, IPPROTO_SCTP, SCTP_ADAPTATION_LAYER, &ad, sizeof(ad), &err);
		check_u("SCTP_ADAPTATION_LAYER after", ad.ssb_adaptation_ind, 0x01020304);
	}
	int_option(so, "SCTP_DISABLE_FRAGMENTS", IPPROTO_SCTP, SCTP_DISABLE_FRAGMENTS, 0, 1, 1);
	/* SCTP_PEER_ADDR_PARAMS, the endpoint's defaults (no address) */
	{
		struct sctp_paddrparams pp;

		memset(&pp, 0, sizeof(pp));
		CHECK("SCTP_PEER_ADDR_PARAMS get", get(so, IPPROTO_SCTP, SCTP_PEER_ADDR_PARAMS, &pp, sizeof(pp), &err),
		      0, 0);
		check_u("SCTP_PEER_ADDR_PARAMS default spp_hbinterval", pp.spp_hbinterval, 30000);
		check_u("SCTP_PEER_ADDR_PARAMS default spp_pathmtu", pp.spp_pathmtu, 0);
		check_u("SCTP_PEER_ADDR_PARAMS default spp_flags (HB_ENABLE|PMTUD_ENABLE)", pp.spp_flags,
		        SPP_HB_ENABLE | SPP_PMTUD_ENABLE);
		check_u("SCTP_PEER_ADDR_PARAMS default spp_pathmaxrxt", pp.spp_pathmaxrxt, 5);
		check_u("SCTP_PEER_ADDR_PARAMS default spp_dscp", pp.spp_dscp, 0);
		memset(&pp, 0, sizeof(pp));
		pp.spp_hbinterval = 5000;
		pp.spp_pathmaxrxt = 3;
		pp.spp_flags = SPP_HB_ENABLE;
		CHECK("SCTP_PEER_ADDR_PARAMS set hb 5000, pathmaxrxt 3",
		      set(so, IPPROTO_SCTP, SCTP_PEER_ADDR_PARAMS, &pp, sizeof(pp)), 0, 0);
		memset(&pp, 0, sizeof(pp));
		get(so, IPPROTO_SCTP, SCTP_PEER_ADDR_PARAMS, &pp, sizeof(pp), &err);
		check_u("SCTP_PEER_ADDR_PARAMS after: spp_hbinterval", pp.spp_hbinterval, 5000);
		check_u("SCTP_PEER_ADDR_PARAMS after: spp_pathmaxrxt", pp.spp_pathmaxrxt, 3);
		memset(&pp, 0, sizeof(pp));
		pp.spp_flags = SPP_HB_DISABLE;
		CHECK("SCTP_PEER_ADDR_PARAMS set HB_DISABLE",
		      set(so, IPPROTO_SCTP, SCTP_PEER_ADDR_PARAMS, &pp, sizeof(pp)), 0, 0);
		memset(&pp, 0, sizeof(pp));
		get(so, IPPROTO_SCTP, SCTP_PEER_ADDR_PARAMS, &pp, sizeof(pp), &err);
		check_u("SCTP_PEER_ADDR_PARAMS after HB_DISABLE: spp_flags", pp.spp_flags,
		        SPP_HB_DISABLE | SPP_PMTUD_ENABLE);
		memset(&pp, 0, sizeof(pp));
		pp.spp_flags = SPP_HB_ENABLE | SPP_HB_DISABLE;
		CHECK("SCTP_PEER_ADDR_PARAMS set HB_ENABLE|HB_DISABLE",
		      set(so, IPPROTO_SCTP, SCTP_PEER_ADDR_PARAMS, &pp, sizeof(pp)), -1, EINVAL);
	}
	CHECK_AV("SCTP_MAXSEG default", so, SCTP_MAXSEG, SCTP_FUTURE_ASSOC, 0);
	CHECK("SCTP_MAXSEG set 1000", set_av(so, SCTP_MAXSEG, SCTP_FUTURE_ASSOC, 1000), 0, 0);
	CHECK_AV("SCTP_MAXSEG after", so, SCTP_MAXSEG, SCTP_FUTURE_ASSOC, 1000);
	/* SCTP_DELAYED_SACK */
	{
		struct sctp_sack_info si;

		memset(&si, 0, sizeof(si));
		CHECK("SCTP_DELAYED_SACK get", get(so, IPPROTO_SCTP, SCTP_DELAYED_SACK, &si, sizeof(si), &err), 0, 0);
		check_u("SCTP_DELAYED_SACK default sack_delay", si.sack_delay, 200);
		check_u("SCTP_DELAYED_SACK default sack_freq", si.sack_freq, 2);
		si.sack_assoc_id = SCTP_FUTURE_ASSOC;
		si.sack_delay = 100;
		si.sack_freq = 1;
		CHECK("SCTP_DELAYED_SACK set 100/1", set(so, IPPROTO_SCTP, SCTP_DELAYED_SACK, &si, sizeof(si)), 0, 0);
		memset(&si, 0, sizeof(si));
		get(so, IPPROTO_SCTP, SCTP_DELAYED_SACK, &si, sizeof(si), &err);
		check_u("SCTP_DELAYED_SACK after: sack_delay", si.sack_delay, 100);
		check_u("SCTP_DELAYED_SACK after: sack_freq", si.sack_freq, 1);
		si.sack_delay = 501; /* RFC 9260: at most 500 ms */
		CHECK("SCTP_DELAYED_SACK set delay 501", set(so, IPPROTO_SCTP, SCTP_DELAYED_SACK, &si, sizeof(si)),
		      -1, EINVAL);
	}
	int_option(so, "SCTP_FRAGMENT_INTERLEAVE", IPPROTO_SCTP, SCTP_FRAGMENT_INTERLEAVE, 1, 2, 2);
	{
		int three = 3;
		CHECK("SCTP_FRAGMENT_INTERLEAVE set 3", set(so, IPPROTO_SCTP, SCTP_FRAGMENT_INTERLEAVE, &three,
		      sizeof(three)), -1, EINVAL);
	}
	int_option(so, "SCTP_PARTIAL_DELIVERY_POINT", IPPROTO_SCTP, SCTP_PARTIAL_DELIVERY_POINT, 65536, 4096,
	           4096);
	CHECK_AV("SCTP_MAX_BURST default", so, SCTP_MAX_BURST, SCTP_FUTURE_ASSOC, 4);
	CHECK("SCTP_MAX_BURST set 8", set_av(so, SCTP_MAX_BURST, SCTP_FUTURE_ASSOC, 8), 0, 0);
	CHECK_AV("SCTP_MAX_BURST after", so, SCTP_MAX_BURST, SCTP_FUTURE_ASSOC, 8);
	CHECK_AV("SCTP_CONTEXT default", so, SCTP_CONTEXT, SCTP_FUTURE_ASSOC, 0);
	CHECK("SCTP_CONTEXT set 0xabcdef", set_av(so, SCTP_CONTEXT, SCTP_FUTURE_ASSOC, 0xabcdef), 0, 0);
	CHECK_AV("SCTP_CONTEXT after", so, SCTP_CONTEXT, SCTP_FUTURE_ASSOC, 0xabcdef);
	int_option(so, "SCTP_EXPLICIT_EOR", IPPROTO_SCTP, SCTP_EXPLICIT_EOR, 0, 1, 1);
	int_option(so, "SCTP_REUSE_PORT", IPPROTO_SCTP, SCTP_REUSE_PORT, 0, 1, 1);
	/* SCTP_EVENT: every notification is off by default; one on, then off again. */
	{
		struct sctp_event ev;
		int type, all_off = 1;
		char got[32];

		for (type = SCTP_ASSOC_CHANGE; type <= SCTP_SEND_FAILED_EVENT; type++) {
			if (type == SCTP_NOTIFICATIONS_STOPPED_EVENT)
				continue;
			memset(&ev, 0, sizeof(ev));
			ev.se_type = type;
			ev.se_on = 7;
			if (get(so, IPPROTO_SCTP, SCTP_EVENT, &ev, sizeof(ev), &err) != 0 || ev.se_on != 0)
				all_off = 0;
		}
		check_true("SCTP_EVENT default: types 1-14 but 11 off", all_off, "all off", all_off ? "all off" : "not");
		memset(&ev, 0, sizeof(ev));
		ev.se_type = SCTP_NOTIFICATIONS_STOPPED_EVENT;
		CHECK("SCTP_EVENT get SCTP_NOTIFICATIONS_STOPPED_EVENT",
		      get(so, IPPROTO_SCTP, SCTP_EVENT, &ev, sizeof(ev), &err), -1, EOPNOTSUPP);
		CHECK("SCTP_EVENT set SCTP_NOTIFICATIONS_STOPPED_EVENT on",
		      (ev.se_on = 1, set(so, IPPROTO_SCTP, SCTP_EVENT, &ev, sizeof(ev))), -1, EOPNOTSUPP);
		memset(&ev, 0, sizeof(ev));
		ev.se_assoc_id = SCTP_FUTURE_ASSOC;
		ev.se_type = SCTP_ASSOC_CHANGE;
		ev.se_on = 1;
		CHECK("SCTP_EVENT set SCTP_ASSOC_CHANGE on", set(so, IPPROTO_SCTP, SCTP_EVENT, &ev, sizeof(ev)), 0, 0);
		ev.se_on = 0;
		get(so, IPPROTO_SCTP, SCTP_EVENT, &ev, sizeof(ev), &err);
		snprintf(got, sizeof(got), "%u", ev.se_on);
		check_true("SCTP_EVENT get SCTP_ASSOC_CHANGE after on", ev.se_on == 1, "1", got);
		ev.se_on = 0;
		CHECK("SCTP_EVENT set SCTP_ASSOC_CHANGE off", set(so, IPPROTO_SCTP, SCTP_EVENT, &ev, sizeof(ev)), 0, 0);
		ev.se_on = 1;
		get(so, IPPROTO_SCTP, SCTP_EVENT, &ev, sizeof(ev), &err);
		snprintf(got, sizeof(got), "%u", ev.se_on);
		check_true("SCTP_EVENT get SCTP_ASSOC_CHANGE after off", ev.se_on == 0, "0", got);
	}
	int_option(so, "SCTP_RECVRCVINFO", IPPROTO_SCTP, SCTP_RECVRCVINFO, 0, 1, 1);
	int_option(so, "SCTP_RECVNXTINFO", IPPROTO_SCTP, SCTP_RECVNXTINFO, 0, 1, 1);
	/* SCTP_DEFAULT_SNDINFO */
	{
		struct sctp_sndinfo si;

		memset(&si, 0xff, sizeof(si));
		si.snd_assoc_id = SCTP_FUTURE_ASSOC;
		CHECK("SCTP_DEFAULT_SNDINFO get", get(so, IPPROTO_SCTP, SCTP_DEFAULT_SNDINFO, &si, sizeof(si), &err),
		      0, 0);
		check_true("SCTP_DEFAULT_SNDINFO default: all 0",
		           si.snd_sid == 0 && si.snd_flags == 0 && si.snd_ppid == 0 && si.snd_context == 0,
		           "0/0/0/0", "other");
		si.snd_sid = 3;
		si.snd_flags = SCTP_UNORDERED;
		si.snd_ppid = htonl(51);
		si.snd_context = 99;
		CHECK("SCTP_DEFAULT_SNDINFO set sid 3, UNORDERED, ppid 51, context 99",
		      set(so, IPPROTO_SCTP, SCTP_DEFAULT_SNDINFO, &si, sizeof(si)), 0, 0);
		memset(&si, 0, sizeof(si));
		get(so, IPPROTO_SCTP, SCTP_DEFAULT_SNDINFO, &si, sizeof(si), &err);
		check_true("SCTP_DEFAULT_SNDINFO after", si.snd_sid == 3 && si.snd_flags == SCTP_UNORDERED &&
		           si.snd_ppid == htonl(51) && si.snd_context == 99, "3/UNORDERED/51/99", "other");
	}
	/* SCTP_DEFAULT_PRINFO */
	{
		struct sctp_default_prinfo pr;

		memset(&pr, 0xff, sizeof(pr));
		pr.pr_assoc_id = SCTP_FUTURE_ASSOC;
		CHECK("SCTP_DEFAULT_PRINFO get", get(so, IPPROTO_SCTP, SCTP_DEFAULT_PRINFO, &pr, sizeof(pr), &err),
		      0, 0);
		check_u("SCTP_DEFAULT_PRINFO default pr_policy", pr.pr_policy, SCTP_PR_SCTP_NONE);
		check_u("SCTP_DEFAULT_PRINFO default pr_value", pr.pr_value, 0);
		pr.pr_policy = SCTP_PR_SCTP_RTX;
		pr.pr_value = 2;
		CHECK("SCTP_DEFAULT_PRINFO set RTX 2", set(so, IPPROTO_SCTP, SCTP_DEFAULT_PRINFO, &pr, sizeof(pr)), 0, 0);
		memset(&pr, 0, sizeof(pr));
		get(so, IPPROTO_SCTP, SCTP_DEFAULT_PRINFO, &pr, sizeof(pr), &err);
		check_u("SCTP_DEFAULT_PRINFO after: pr_policy", pr.pr_policy, SCTP_PR_SCTP_RTX);
		check_u("SCTP_DEFAULT_PRINFO after: pr_value", pr.pr_value, 2);
		pr.pr_policy = 77;
		CHECK("SCTP_DEFAULT_PRINFO set policy 77", set(so, IPPROTO_SCTP, SCTP_DEFAULT_PRINFO, &pr, sizeof(pr)),
		      -1, EINVAL);
	}
	/* SCTP_REMOTE_UDP_ENCAPS_PORT, the endpoint's default (no address) */
	{
		struct sctp_udpencaps ue;

		memset(&ue, 0, sizeof(ue));
		ue.sue_port = 77;
		CHECK("SCTP_REMOTE_UDP_ENCAPS_PORT get",
		      get(so, IPPROTO_SCTP, SCTP_REMOTE_UDP_ENCAPS_PORT, &ue, sizeof(ue), &err), 0, 0);
		check_u("SCTP_REMOTE_UDP_ENCAPS_PORT default", ue.sue_port, 0);
		memset(&ue, 0, sizeof(ue));
		ue.sue_port = htons(9899);
		CHECK("SCTP_REMOTE_UDP_ENCAPS_PORT set 9899",
		      set(so, IPPROTO_SCTP, SCTP_REMOTE_UDP_ENCAPS_PORT, &ue, sizeof(ue)), 0, 0);
		memset(&ue, 0, sizeof(ue));
		get(so, IPPROTO_SCTP, SCTP_REMOTE_UDP_ENCAPS_PORT, &ue, sizeof(ue), &err);
		check_u("SCTP_REMOTE_UDP_ENCAPS_PORT after", ntohs(ue.sue_port), 9899);
	}
	/* The association-only options need an association. */
	{
		struct sctp_status st;
		struct sctp_paddrinfo pi;
		uint32_t n = 0;

		memset(&st, 0, sizeof(st));
		CHECK("SCTP_STATUS, unconnected", get(so, IPPROTO_SCTP, SCTP_STATUS, &st, sizeof(st), &err), -1, EINVAL);
		memset(&pi, 0, sizeof(pi));
		CHECK("SCTP_GET_PEER_ADDR_INFO, unconnected",
		      get(so, IPPROTO_SCTP, SCTP_GET_PEER_ADDR_INFO, &pi, sizeof(pi), &err), -1, ENOENT);
		CHECK("SCTP_GET_ASSOC_NUMBER, one-to-one socket",
		      get(so, IPPROTO_SCTP, SCTP_GET_ASSOC_NUMBER, &n, sizeof(n), &err), -1, EINVAL);
		CHECK("SCTP_GET_ASSOC_ID_LIST, one-to-one socket",
		      get(so, IPPROTO_SCTP, SCTP_GET_ASSOC_ID_LIST, &n, sizeof(n), &err), -1, EINVAL);
	}
	/* Meant for AF_INET6 sockets: an AF_CONN socket reads 0 and refuses to set it. */
	check_int("SCTP_I_WANT_MAPPED_V4_ADDR default", get_int(so, IPPROTO_SCTP, SCTP_I_WANT_MAPPED_V4_ADDR, &err),
	          err, 0, 0);
	{
		int one = 1;
		CHECK("SCTP_I_WANT_MAPPED_V4_ADDR set 1, AF_CONN socket", set(so, IPPROTO_SCTP,
		      SCTP_I_WANT_MAPPED_V4_ADDR, &one, sizeof(one)), -1, EINVAL);
	}
	/* SO_LINGER */
	{
		struct linger lg;

		lg.l_onoff = 7;
		lg.l_linger = 7;
		CHECK("SO_LINGER get", get(so, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg), &err), 0, 0);
		check_true("SO_LINGER default: off, 0", lg.l_onoff == 0 && lg.l_linger == 0, "0/0", "other");
		lg.l_onoff = 1;
		lg.l_linger = 5;
		CHECK("SO_LINGER set on, 5", set(so, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg)), 0, 0);
		memset(&lg, 0, sizeof(lg));
		get(so, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg), &err);
		check_true("SO_LINGER after: on, 5", lg.l_onoff != 0 && lg.l_linger == 5, "1/5", "other");
	}
	int_option(so, "SO_RCVBUF", SOL_SOCKET, SO_RCVBUF, 131072, 65536, 65536);
	int_option(so, "SO_SNDBUF", SOL_SOCKET, SO_SNDBUF, 262144, 100000, 100000);
	usrsctp_close(so);

	/* What is different on a one-to-many socket. */
	so = new_socket(SOCK_SEQPACKET);
	{
		uint32_t n = 99;
		struct sctp_assoc_ids ids;

		int v;
		CHECK("SCTP_REUSE_PORT get, one-to-many", get(so, IPPROTO_SCTP, SCTP_REUSE_PORT, &v, sizeof(v), &err),
		      -1, EINVAL);
		CHECK("SCTP_GET_ASSOC_NUMBER, one-to-many, none", get(so, IPPROTO_SCTP, SCTP_GET_ASSOC_NUMBER, &n,
		      sizeof(n), &err), 0, 0);
		check_u("SCTP_GET_ASSOC_NUMBER value", n, 0);
		ids.gaids_number_of_ids = 99;
		CHECK("SCTP_GET_ASSOC_ID_LIST, one-to-many, none", get(so, IPPROTO_SCTP, SCTP_GET_ASSOC_ID_LIST, &ids,
		      sizeof(ids), &err), 0, 0);
		check_u("SCTP_GET_ASSOC_ID_LIST count", ids.gaids_number_of_ids, 0);
		int_option(so, "SCTP_AUTOCLOSE one-to-many", IPPROTO_SCTP, SCTP_AUTOCLOSE, 0, 10, 10);
	}
	usrsctp_close(so);
}

/* --- A connected one-to-one pair --------------------------------------------------------------- */

static void connected_pair_options(void)
{
	struct socket *lst = new_socket(SOCK_STREAM), *cli, *acc;
	struct sctp_status st;
	struct sctp_paddrinfo pi;
	struct sctp_paddrparams pp;
	struct sctp_assocparams ap;
	struct sctp_udpencaps ue;
	struct sockaddr_conn peer = link_addr(&end_a, 6001);
	struct sctp_initmsg im;
	int err, on = 1;
	sctp_assoc_t id;

	/* Options set on the listener are inherited by the accepted socket. */
	bind_to(lst, &end_b, 6001);
	set(lst, IPPROTO_SCTP, SCTP_NODELAY, &on, sizeof(on));
	set_av(lst, SCTP_CONTEXT, SCTP_FUTURE_ASSOC, 4242);
	memset(&im, 0, sizeof(im));
	im.sinit_num_ostreams = 7;
	im.sinit_max_instreams = 9;
	set(lst, IPPROTO_SCTP, SCTP_INITMSG, &im, sizeof(im));
	if (usrsctp_listen(lst, 4) != 0)
		fail_setup("listen");
	cli = client_to(6001);
	acc = usrsctp_accept(lst, NULL, NULL);
	if (acc == NULL)
		fail_setup("accept");

	memset(&st, 0, sizeof(st));
	CHECK("SCTP_STATUS, connected client", get(cli, IPPROTO_SCTP, SCTP_STATUS, &st, sizeof(st), &err), 0, 0);
	id = st.sstat_assoc_id;
	check_true("SCTP_STATUS sstat_assoc_id != 0", id != 0, "non-zero", id ? "non-zero" : "0");
	check_u("SCTP_STATUS sstat_state", st.sstat_state, SCTP_ESTABLISHED);
	check_u("SCTP_STATUS sstat_rwnd", st.sstat_rwnd, 131072);
	check_u("SCTP_STATUS sstat_unackdata", st.sstat_unackdata, 0);
	check_u("SCTP_STATUS sstat_penddata", st.sstat_penddata, 0);
	check_u("SCTP_STATUS sstat_instrms (server's ostreams 7)", st.sstat_instrms, 7);
	check_u("SCTP_STATUS sstat_outstrms (min(10, server's max_instreams 9))", st.sstat_outstrms, 9);
	check_u("SCTP_STATUS sstat_fragmentation_point", st.sstat_fragmentation_point, 1252);
	check_u("SCTP_STATUS primary spinfo_state", st.sstat_primary.spinfo_state, SCTP_ACTIVE);
	check_u("SCTP_STATUS primary spinfo_mtu", st.sstat_primary.spinfo_mtu, 1268);
	check_u("SCTP_STATUS primary spinfo_cwnd", st.sstat_primary.spinfo_cwnd, 3804);
	check_u("SCTP_STATUS primary spinfo_rto", st.sstat_primary.spinfo_rto, 1000);
	check_u("SCTP_STATUS primary address family", st.sstat_primary.spinfo_address.ss_family, AF_CONN);
	check_true("SCTP_STATUS primary address is A:6001",
	           ((struct sockaddr_conn *)&st.sstat_primary.spinfo_address)->sconn_addr == &end_a &&
	           ntohs(((struct sockaddr_conn *)&st.sstat_primary.spinfo_address)->sconn_port) == 6001,
	           "A:6001", "other");
	memset(&st, 0, sizeof(st));
	get(acc, IPPROTO_SCTP, SCTP_STATUS, &st, sizeof(st), &err);
	check_u("SCTP_STATUS accepted sstat_instrms", st.sstat_instrms, 9);
	check_u("SCTP_STATUS accepted sstat_outstrms", st.sstat_outstrms, 7);
	check_int("SCTP_NODELAY inherited from the listener", get_int(acc, IPPROTO_SCTP, SCTP_NODELAY, &err), err,
	          1, 0);
	CHECK_AV("SCTP_CONTEXT inherited from the listener", acc, SCTP_CONTEXT, 0, 4242);

	memset(&ap, 0, sizeof(ap));
	get(cli, IPPROTO_SCTP, SCTP_ASSOCINFO, &ap, sizeof(ap), &err);
	check_u("SCTP_ASSOCINFO connected: sasoc_peer_rwnd", ap.sasoc_peer_rwnd, 131072);
	check_u("SCTP_ASSOCINFO connected: sasoc_number_peer_destinations", ap.sasoc_number_peer_destinations, 1);
	CHECK_AV("SCTP_MAXSEG connected", cli, SCTP_MAXSEG, 0, 1252);

	memset(&pi, 0, sizeof(pi));
	CHECK("SCTP_GET_PEER_ADDR_INFO without an address", get(cli, IPPROTO_SCTP, SCTP_GET_PEER_ADDR_INFO, &pi,
	      sizeof(pi), &err), -1, ENOENT);
	memcpy(&pi.spinfo_address, &peer, sizeof(peer));
	CHECK("SCTP_GET_PEER_ADDR_INFO for the peer", get(cli, IPPROTO_SCTP, SCTP_GET_PEER_ADDR_INFO, &pi,
	      sizeof(pi), &err), 0, 0);
	check_u("SCTP_GET_PEER_ADDR_INFO spinfo_state", pi.spinfo_state, SCTP_ACTIVE);
	check_u("SCTP_GET_PEER_ADDR_INFO spinfo_mtu", pi.spinfo_mtu, 1268);
	check_u("SCTP_GET_PEER_ADDR_INFO spinfo_assoc_id", pi.spinfo_assoc_id, id);

	memset(&pp, 0, sizeof(pp));
	CHECK("SCTP_PEER_ADDR_PARAMS connected, no address", get(cli, IPPROTO_SCTP, SCTP_PEER_ADDR_PARAMS, &pp,
	      sizeof(pp), &err), -1, EAFNOSUPPORT);
	memcpy(&pp.spp_address, &peer, sizeof(peer));
	CHECK("SCTP_PEER_ADDR_PARAMS connected, peer address", get(cli, IPPROTO_SCTP, SCTP_PEER_ADDR_PARAMS, &pp,
	      sizeof(pp), &err), 0, 0);
	check_u("SCTP_PEER_ADDR_PARAMS path spp_hbinterval", pp.spp_hbinterval, 30000);
	check_u("SCTP_PEER_ADDR_PARAMS path spp_pathmtu", pp.spp_pathmtu, 1268);
	check_u("SCTP_PEER_ADDR_PARAMS path spp_pathmaxrxt", pp.spp_pathmaxrxt, 5);
	pp.spp_hbinterval = 2000;
	pp.spp_flags = SPP_HB_ENABLE;
	CHECK("SCTP_PEER_ADDR_PARAMS set path hb 2000", set(cli, IPPROTO_SCTP, SCTP_PEER_ADDR_PARAMS, &pp,
	      sizeof(pp)), 0, 0);
	pp.spp_hbinterval = 0;
	get(cli, IPPROTO_SCTP, SCTP_PEER_ADDR_PARAMS, &pp, sizeof(pp), &err);
	check_u("SCTP_PEER_ADDR_PARAMS path after: spp_hbinterval", pp.spp_hbinterval, 2000);

	memset(&ue, 0, sizeof(ue));
	CHECK("SCTP_REMOTE_UDP_ENCAPS_PORT connected, no address", get(cli, IPPROTO_SCTP,
	      SCTP_REMOTE_UDP_ENCAPS_PORT, &ue, sizeof(ue), &err), -1, EAFNOSUPPORT);

	/* On a one-to-one socket the association id in the option is not looked at. */
	CHECK("SCTP_MAX_BURST set 6 with id 12345 (one-to-one)", set_av(cli, SCTP_MAX_BURST, 12345, 6), 0, 0);
	CHECK_AV("SCTP_MAX_BURST get with id 0 (one-to-one)", cli, SCTP_MAX_BURST, 0, 6);
	CHECK_AV("SCTP_MAX_BURST get with id 12345 (one-to-one)", cli, SCTP_MAX_BURST, 12345, 6);
	{
		struct sctp_rtoinfo rto;

		memset(&rto, 0, sizeof(rto));
		rto.srto_initial = 1500;
		CHECK("SCTP_RTOINFO set initial 1500 on the association",
		      set(cli, IPPROTO_SCTP, SCTP_RTOINFO, &rto, sizeof(rto)), 0, 0);
		memset(&rto, 0, sizeof(rto));
		get(cli, IPPROTO_SCTP, SCTP_RTOINFO, &rto, sizeof(rto), &err);
		check_u("SCTP_RTOINFO association after: srto_initial", rto.srto_initial, 1500);
	}
	{
		struct sctp_assoc_ids ids;
		uint32_t n;

		CHECK("SCTP_GET_ASSOC_NUMBER, connected one-to-one", get(cli, IPPROTO_SCTP, SCTP_GET_ASSOC_NUMBER, &n,
		      sizeof(n), &err), -1, EINVAL);
		CHECK("SCTP_GET_ASSOC_ID_LIST, connected one-to-one", get(cli, IPPROTO_SCTP, SCTP_GET_ASSOC_ID_LIST,
		      &ids, sizeof(ids), &err), -1, EINVAL);
	}

	/* The int options read the same on both ends of the association as on a new socket. */
	{
		static const struct {
			const char *name;
			int level, opt, def;
		} ints[] = {
			{ "SCTP_AUTOCLOSE", IPPROTO_SCTP, SCTP_AUTOCLOSE, 0 },
			{ "SCTP_DISABLE_FRAGMENTS", IPPROTO_SCTP, SCTP_DISABLE_FRAGMENTS, 0 },
			{ "SCTP_FRAGMENT_INTERLEAVE", IPPROTO_SCTP, SCTP_FRAGMENT_INTERLEAVE, 1 },
			{ "SCTP_PARTIAL_DELIVERY_POINT", IPPROTO_SCTP, SCTP_PARTIAL_DELIVERY_POINT, 65536 },
			{ "SCTP_EXPLICIT_EOR", IPPROTO_SCTP, SCTP_EXPLICIT_EOR, 0 },
			{ "SCTP_REUSE_PORT", IPPROTO_SCTP, SCTP_REUSE_PORT, 0 },
			{ "SCTP_RECVRCVINFO", IPPROTO_SCTP, SCTP_RECVRCVINFO, 0 },
			{ "SCTP_RECVNXTINFO", IPPROTO_SCTP, SCTP_RECVNXTINFO, 0 },
			{ "SCTP_I_WANT_MAPPED_V4_ADDR", IPPROTO_SCTP, SCTP_I_WANT_MAPPED_V4_ADDR, 0 },
			{ "SO_RCVBUF", SOL_SOCKET, SO_RCVBUF, 131072 },
			{ "SO_SNDBUF", SOL_SOCKET, SO_SNDBUF, 262144 },
		};
		unsigned int k;
		char name[96];

		for (k = 0; k < sizeof(ints) / sizeof(ints[0]); k++) {
			snprintf(name, sizeof(name), "%s connected client", ints[k].name);
			check_int(name, get_int(cli, ints[k].level, ints[k].opt, &err), err, ints[k].def, 0);
			snprintf(name, sizeof(name), "%s accepted socket", ints[k].name);
			check_int(name, get_int(acc, ints[k].level, ints[k].opt, &err), err, ints[k].def, 0);
		}
		CHECK_AV("SCTP_MAX_BURST connected default", acc, SCTP_MAX_BURST, 0, 4);
		int_option(cli, "SCTP_NODELAY connected client", IPPROTO_SCTP, SCTP_NODELAY, 0, 1, 1);
		int_option(cli, "SCTP_EXPLICIT_EOR connected client", IPPROTO_SCTP, SCTP_EXPLICIT_EOR, 0, 1, 1);
	}
	{
		struct sctp_sack_info si;
		struct sctp_default_prinfo pr;
		struct sctp_sndinfo snd;
		struct sctp_setadaptation ad;

		memset(&si, 0, sizeof(si));
		si.sack_assoc_id = id;
		si.sack_delay = 50;
		si.sack_freq = 4;
		CHECK("SCTP_DELAYED_SACK set 50/4 on the association", set(cli, IPPROTO_SCTP, SCTP_DELAYED_SACK, &si,
		      sizeof(si)), 0, 0);
		memset(&si, 0, sizeof(si));
		get(cli, IPPROTO_SCTP, SCTP_DELAYED_SACK, &si, sizeof(si), &err);
		check_true("SCTP_DELAYED_SACK association after: 50/4", si.sack_delay == 50 && si.sack_freq == 4, "50/4",
		           "other");
		memset(&pr, 0, sizeof(pr));
		pr.pr_assoc_id = id;
		pr.pr_policy = SCTP_PR_SCTP_TTL;
		pr.pr_value = 300;
		CHECK("SCTP_DEFAULT_PRINFO set TTL 300 on the association", set(cli, IPPROTO_SCTP, SCTP_DEFAULT_PRINFO,
		      &pr, sizeof(pr)), 0, 0);
		memset(&pr, 0, sizeof(pr));
		get(cli, IPPROTO_SCTP, SCTP_DEFAULT_PRINFO, &pr, sizeof(pr), &err);
		check_true("SCTP_DEFAULT_PRINFO association after: TTL 300",
		           pr.pr_policy == SCTP_PR_SCTP_TTL && pr.pr_value == 300, "TTL/300", "other");
		memset(&snd, 0, sizeof(snd));
		snd.snd_sid = 6;
		snd.snd_ppid = htonl(7);
		CHECK("SCTP_DEFAULT_SNDINFO set sid 6 on the association", set(cli, IPPROTO_SCTP, SCTP_DEFAULT_SNDINFO,
		      &snd, sizeof(snd)), 0, 0);
		memset(&snd, 0, sizeof(snd));
		get(cli, IPPROTO_SCTP, SCTP_DEFAULT_SNDINFO, &snd, sizeof(snd), &err);
		check_u("SCTP_DEFAULT_SNDINFO association after: sid", snd.snd_sid, 6);
		snd.snd_sid = 9; /* past the 9 outbound streams (0-8) */
		CHECK("SCTP_DEFAULT_SNDINFO set sid 9 >= outbound streams", set(cli, IPPROTO_SCTP, SCTP_DEFAULT_SNDINFO,
		      &snd, sizeof(snd)), -1, EINVAL);
		ad.ssb_adaptation_ind = 5;
		get(acc, IPPROTO_SCTP, SCTP_ADAPTATION_LAYER, &ad, sizeof(ad), &err);
		check_u("SCTP_ADAPTATION_LAYER accepted socket", ad.ssb_adaptation_ind, 0);
	}

	/* usrsctp_opt_info fills in the association id itself. */
	{
		struct sctp_rtoinfo rto;
		socklen_t len = sizeof(rto);

		memset(&rto, 0, sizeof(rto));
		CHECK("opt_info(SCTP_RTOINFO, one-to-one, id)", usrsctp_opt_info(cli, id, SCTP_RTOINFO, &rto, &len),
		      0, 0);
		check_u("opt_info(SCTP_RTOINFO): srto_initial", rto.srto_initial, 1500);
		check_u("opt_info(SCTP_RTOINFO): srto_assoc_id set", rto.srto_assoc_id, id);
		check_u("opt_info(SCTP_RTOINFO): size", len, sizeof(rto));
		memset(&st, 0, sizeof(st));
		len = sizeof(st);
		CHECK("opt_info(SCTP_STATUS, one-to-one)", usrsctp_opt_info(cli, 0, SCTP_STATUS, &st, &len), 0, 0);
		check_u("opt_info(SCTP_STATUS): state", st.sstat_state, SCTP_ESTABLISHED);
		memset(&pi, 0, sizeof(pi));
		memcpy(&pi.spinfo_address, &peer, sizeof(peer));
		len = sizeof(pi);
		CHECK("opt_info(SCTP_GET_PEER_ADDR_INFO, peer)", usrsctp_opt_info(cli, 0, SCTP_GET_PEER_ADDR_INFO, &pi,
		      &len), 0, 0);
		check_u("opt_info(SCTP_GET_PEER_ADDR_INFO): state", pi.spinfo_state, SCTP_ACTIVE);
		len = sizeof(struct sctp_assoc_value);
		{
			struct sctp_assoc_value av;

			memset(&av, 0, sizeof(av));
			CHECK("opt_info(SCTP_MAX_BURST)", usrsctp_opt_info(cli, 0, SCTP_MAX_BURST, &av, &len), 0, 0);
			check_u("opt_info(SCTP_MAX_BURST): value", av.assoc_value, 6);
		}
	}
	usrsctp_close(cli);
	usrsctp_close(acc);
	usrsctp_close(lst);
}

/* --- The association id rules on a one-to-many socket ------------------------------------------ */

static void assoc_id_rules(void)
{
	struct socket *srv = new_socket(SOCK_SEQPACKET), *c1, *c2, *c3;
	struct sctp_assoc_value av;
	sctp_assoc_t id1 = 0, id2 = 0, id3;
	int err, i;
	uint32_t n = 0;
	char buf[64];
	struct sctp_assoc_ids *ids = (struct sctp_assoc_ids *)buf;

	bind_to(srv, &end_b, 6002);
	if (usrsctp_listen(srv, 4) != 0)
		fail_setup("listen one-to-many");
	c1 = client_to(6002);
	c2 = client_to(6002);
	link_wait_quiet(20, 2000);

	CHECK("SCTP_GET_ASSOC_NUMBER, 2 associations", get(srv, IPPROTO_SCTP, SCTP_GET_ASSOC_NUMBER, &n, sizeof(n),
	      &err), 0, 0);
	check_u("SCTP_GET_ASSOC_NUMBER value", n, 2);
	memset(buf, 0, sizeof(buf));
	CHECK("SCTP_GET_ASSOC_ID_LIST, room for 2", get(srv, IPPROTO_SCTP, SCTP_GET_ASSOC_ID_LIST, ids,
	      sizeof(uint32_t) + 2 * sizeof(sctp_assoc_t), &err), 0, 0);
	check_u("SCTP_GET_ASSOC_ID_LIST count", ids->gaids_number_of_ids, 2);
	if (ids->gaids_number_of_ids == 2) {
		id1 = ids->gaids_assoc_id[0];
		id2 = ids->gaids_assoc_id[1];
	}
	check_true("SCTP_GET_ASSOC_ID_LIST: two distinct ids above SCTP_ALL_ASSOC",
	           id1 > SCTP_ALL_ASSOC && id2 > SCTP_ALL_ASSOC && id1 != id2, "distinct, > 2", "other");
	CHECK("SCTP_GET_ASSOC_ID_LIST, room for 1", get(srv, IPPROTO_SCTP, SCTP_GET_ASSOC_ID_LIST, ids,
	      sizeof(uint32_t) + sizeof(sctp_assoc_t), &err), -1, EINVAL);

	/* MAX_BURST (default 4) through each kind of id. */
	CHECK("SCTP_MAX_BURST set SCTP_CURRENT_ASSOC 7", set_av(srv, SCTP_MAX_BURST, SCTP_CURRENT_ASSOC, 7), 0, 0);
	CHECK_AV("SCTP_MAX_BURST assoc 1 after CURRENT 7", srv, SCTP_MAX_BURST, id1, 7);
	CHECK_AV("SCTP_MAX_BURST assoc 2 after CURRENT 7", srv, SCTP_MAX_BURST, id2, 7);
	CHECK_AV("SCTP_MAX_BURST future after CURRENT 7", srv, SCTP_MAX_BURST, SCTP_FUTURE_ASSOC, 4);
	CHECK("SCTP_MAX_BURST set SCTP_FUTURE_ASSOC 9", set_av(srv, SCTP_MAX_BURST, SCTP_FUTURE_ASSOC, 9), 0, 0);
	CHECK_AV("SCTP_MAX_BURST assoc 1 after FUTURE 9", srv, SCTP_MAX_BURST, id1, 7);
	CHECK_AV("SCTP_MAX_BURST future after FUTURE 9", srv, SCTP_MAX_BURST, SCTP_FUTURE_ASSOC, 9);
	CHECK("SCTP_MAX_BURST set assoc 1 to 13", set_av(srv, SCTP_MAX_BURST, id1, 13), 0, 0);
	CHECK_AV("SCTP_MAX_BURST assoc 1 after id1 13", srv, SCTP_MAX_BURST, id1, 13);
	CHECK_AV("SCTP_MAX_BURST assoc 2 after id1 13", srv, SCTP_MAX_BURST, id2, 7);
	CHECK("SCTP_MAX_BURST set SCTP_ALL_ASSOC 11", set_av(srv, SCTP_MAX_BURST, SCTP_ALL_ASSOC, 11), 0, 0);
	CHECK_AV("SCTP_MAX_BURST assoc 1 after ALL 11", srv, SCTP_MAX_BURST, id1, 11);
	CHECK_AV("SCTP_MAX_BURST assoc 2 after ALL 11", srv, SCTP_MAX_BURST, id2, 11);
	CHECK_AV("SCTP_MAX_BURST future after ALL 11", srv, SCTP_MAX_BURST, SCTP_FUTURE_ASSOC, 11);
	CHECK("SCTP_MAX_BURST set wrong id 12345", set_av(srv, SCTP_MAX_BURST, 12345, 1), -1, ENOENT);
	av.assoc_id = 12345;
	CHECK("SCTP_MAX_BURST get wrong id 12345", get(srv, IPPROTO_SCTP, SCTP_MAX_BURST, &av, sizeof(av), &err), -1, ENOENT);
	av.assoc_id = SCTP_CURRENT_ASSOC;
	CHECK("SCTP_MAX_BURST get SCTP_CURRENT_ASSOC", get(srv, IPPROTO_SCTP, SCTP_MAX_BURST, &av, sizeof(av), &err), -1, EINVAL);
	av.assoc_id = SCTP_ALL_ASSOC;
	CHECK("SCTP_MAX_BURST get SCTP_ALL_ASSOC", get(srv, IPPROTO_SCTP, SCTP_MAX_BURST, &av, sizeof(av), &err), -1, EINVAL);

	/* CONTEXT follows the same rules. */
	CHECK("SCTP_CONTEXT set SCTP_ALL_ASSOC 5", set_av(srv, SCTP_CONTEXT, SCTP_ALL_ASSOC, 5), 0, 0);
	CHECK("SCTP_CONTEXT set assoc 2 to 6", set_av(srv, SCTP_CONTEXT, id2, 6), 0, 0);
	CHECK_AV("SCTP_CONTEXT assoc 1", srv, SCTP_CONTEXT, id1, 5);
	CHECK_AV("SCTP_CONTEXT assoc 2", srv, SCTP_CONTEXT, id2, 6);
	CHECK_AV("SCTP_CONTEXT future", srv, SCTP_CONTEXT, SCTP_FUTURE_ASSOC, 5);

	/* SCTP_EVENT with each kind of id. */
	{
		struct sctp_event ev;

		memset(&ev, 0, sizeof(ev));
		ev.se_assoc_id = id1;
		ev.se_type = SCTP_SENDER_DRY_EVENT;
		ev.se_on = 1;
		CHECK("SCTP_EVENT set SENDER_DRY on assoc 1", set(srv, IPPROTO_SCTP, SCTP_EVENT, &ev, sizeof(ev)), 0, 0);
		ev.se_on = 9;
		get(srv, IPPROTO_SCTP, SCTP_EVENT, &ev, sizeof(ev), &err);
		check_u("SCTP_EVENT SENDER_DRY assoc 1", ev.se_on, 1);
		ev.se_assoc_id = id2;
		ev.se_on = 9;
		get(srv, IPPROTO_SCTP, SCTP_EVENT, &ev, sizeof(ev), &err);
		check_u("SCTP_EVENT SENDER_DRY assoc 2", ev.se_on, 0);
		ev.se_assoc_id = SCTP_FUTURE_ASSOC;
		ev.se_on = 9;
		get(srv, IPPROTO_SCTP, SCTP_EVENT, &ev, sizeof(ev), &err);
		check_u("SCTP_EVENT SENDER_DRY future", ev.se_on, 0);
		ev.se_assoc_id = 12345;
		ev.se_on = 1;
		CHECK("SCTP_EVENT set wrong id 12345", set(srv, IPPROTO_SCTP, SCTP_EVENT, &ev, sizeof(ev)), -1, ENOENT);
		/* libusrsctp refuses SENDER_DRY for the CURRENT and ALL ids. */
		ev.se_assoc_id = SCTP_ALL_ASSOC;
		CHECK("SCTP_EVENT set SENDER_DRY SCTP_ALL_ASSOC", set(srv, IPPROTO_SCTP, SCTP_EVENT, &ev, sizeof(ev)),
		      -1, EOPNOTSUPP);
		ev.se_assoc_id = SCTP_CURRENT_ASSOC;
		CHECK("SCTP_EVENT set SENDER_DRY SCTP_CURRENT_ASSOC", set(srv, IPPROTO_SCTP, SCTP_EVENT, &ev,
		      sizeof(ev)), -1, EOPNOTSUPP);
		ev.se_type = SCTP_SHUTDOWN_EVENT;
		ev.se_assoc_id = SCTP_ALL_ASSOC;
		ev.se_on = 1;
		CHECK("SCTP_EVENT set SHUTDOWN_EVENT SCTP_ALL_ASSOC on", set(srv, IPPROTO_SCTP, SCTP_EVENT, &ev,
		      sizeof(ev)), 0, 0);
		ev.se_assoc_id = SCTP_CURRENT_ASSOC;
		ev.se_on = 0;
		CHECK("SCTP_EVENT set SHUTDOWN_EVENT SCTP_CURRENT_ASSOC off", set(srv, IPPROTO_SCTP, SCTP_EVENT, &ev,
		      sizeof(ev)), 0, 0);
		ev.se_assoc_id = id2;
		ev.se_on = 9;
		get(srv, IPPROTO_SCTP, SCTP_EVENT, &ev, sizeof(ev), &err);
		check_u("SCTP_EVENT SHUTDOWN_EVENT assoc 2 after ALL on, CURRENT off", ev.se_on, 0);
		ev.se_assoc_id = SCTP_FUTURE_ASSOC;
		ev.se_on = 9;
		get(srv, IPPROTO_SCTP, SCTP_EVENT, &ev, sizeof(ev), &err);
		check_u("SCTP_EVENT SHUTDOWN_EVENT future after ALL on, CURRENT off", ev.se_on, 1);
	}

	/* DEFAULT_SNDINFO with a real and a wrong id. */
	{
		struct sctp_sndinfo si;

		memset(&si, 0, sizeof(si));
		si.snd_assoc_id = id2;
		si.snd_sid = 2;
		CHECK("SCTP_DEFAULT_SNDINFO set assoc 2 sid 2", set(srv, IPPROTO_SCTP, SCTP_DEFAULT_SNDINFO, &si,
		      sizeof(si)), 0, 0);
		si.snd_sid = 0;
		get(srv, IPPROTO_SCTP, SCTP_DEFAULT_SNDINFO, &si, sizeof(si), &err);
		check_u("SCTP_DEFAULT_SNDINFO assoc 2 sid", si.snd_sid, 2);
		si.snd_assoc_id = id1;
		si.snd_sid = 9;
		get(srv, IPPROTO_SCTP, SCTP_DEFAULT_SNDINFO, &si, sizeof(si), &err);
		check_u("SCTP_DEFAULT_SNDINFO assoc 1 sid", si.snd_sid, 0);
		si.snd_assoc_id = 12345;
		CHECK("SCTP_DEFAULT_SNDINFO set wrong id", set(srv, IPPROTO_SCTP, SCTP_DEFAULT_SNDINFO, &si, sizeof(si)),
		      -1, ENOENT);
	}

	/* opt_info on the one-to-many socket, real and wrong ids. */
	{
		struct sctp_status st;
		socklen_t len = sizeof(av);

		memset(&av, 0, sizeof(av));
		CHECK("opt_info(SCTP_MAX_BURST, assoc 1)", usrsctp_opt_info(srv, id1, SCTP_MAX_BURST, &av, &len), 0, 0);
		check_u("opt_info(SCTP_MAX_BURST, assoc 1): value", av.assoc_value, 11);
		len = sizeof(av);
		CHECK("opt_info(SCTP_MAX_BURST, wrong id)", usrsctp_opt_info(srv, 12345, SCTP_MAX_BURST, &av, &len), -1,
		      ENOENT);
		len = sizeof(st);
		memset(&st, 0, sizeof(st));
		CHECK("opt_info(SCTP_STATUS, assoc 2)", usrsctp_opt_info(srv, id2, SCTP_STATUS, &st, &len), 0, 0);
		check_u("opt_info(SCTP_STATUS, assoc 2): id", st.sstat_assoc_id, id2);
		check_u("opt_info(SCTP_STATUS, assoc 2): state", st.sstat_state, SCTP_ESTABLISHED);
		len = sizeof(st);
		CHECK("opt_info(SCTP_STATUS, SCTP_FUTURE_ASSOC)", usrsctp_opt_info(srv, SCTP_FUTURE_ASSOC, SCTP_STATUS,
		      &st, &len), -1, EINVAL);
	}

	/* A third association inherits the FUTURE values, not the CURRENT ones. */
	c3 = client_to(6002);
	link_wait_quiet(20, 2000);
	memset(buf, 0, sizeof(buf));
	get(srv, IPPROTO_SCTP, SCTP_GET_ASSOC_ID_LIST, ids, sizeof(buf), &err);
	id3 = 0;
	for (i = 0; i < (int)ids->gaids_number_of_ids && i < 8; i++)
		if (ids->gaids_assoc_id[i] != id1 && ids->gaids_assoc_id[i] != id2)
			id3 = ids->gaids_assoc_id[i];
	check_u("SCTP_GET_ASSOC_ID_LIST after a third", ids->gaids_number_of_ids, 3);
	CHECK_AV("SCTP_MAX_BURST new association (future was 11)", srv, SCTP_MAX_BURST, id3, 11);
	CHECK_AV("SCTP_CONTEXT new association (future was 5)", srv, SCTP_CONTEXT, id3, 5);

	usrsctp_close(c1);
	usrsctp_close(c2);
	usrsctp_close(c3);
	link_wait_quiet(20, 2000);
	n = 99;
	get(srv, IPPROTO_SCTP, SCTP_GET_ASSOC_NUMBER, &n, sizeof(n), &err);
	check_u("SCTP_GET_ASSOC_NUMBER after the clients closed", n, 0);
	usrsctp_close(srv);
}

int main(void)
{
	alarm(60);
	usrsctp_init(0, link_output, NULL);
	link_start();
	link_join(&end_a, &end_b);

	defaults_and_round_trips();
	connected_pair_options();
	assoc_id_rules();

	link_wait_quiet(100, 3000);
	link_stop();
	link_unjoin(&end_a, &end_b);
	CHECK("finish", link_finish(5000), 0, 0);
	return check_summary();
}
