/*
 * usrsctp_init_nothreads: no timer thread. A lost DATA chunk is retransmitted only when the
 * application drives the timers with usrsctp_handle_timers, and then it is.
 */
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>
#include <usrsctp.h>

#include "check.h"
#include "conn_link.h"

static struct link_end end_a, end_b; /* the client binds to A and connects to A; the server B */

/* Calls usrsctp_handle_timers every 10 ms while `done` is false, for at most max_ms. */
static int drive_until(int (*done)(void *), void *arg, int max_ms, int drive)
{
	long start = link_now_ms();

	while (!done(arg)) {
		if (link_now_ms() - start > max_ms)
			return 0;
		usleep(10000);
		if (drive)
			usrsctp_handle_timers(10);
	}
	return 1;
}

struct accepting {
	struct socket *lst, *acc;
};

static int accepted(void *p)
{
	struct accepting *a = p;

	if (a->acc == NULL)
		a->acc = usrsctp_accept(a->lst, NULL, NULL);
	return a->acc != NULL;
}

struct reading {
	struct socket *so;
	char buf[64];
	ssize_t n;
};

static int got_data(void *p)
{
	struct reading *r = p;
	unsigned int infotype = 0;
	int flags = 0;
	socklen_t infolen = 0;

	r->n = usrsctp_recvv(r->so, r->buf, sizeof(r->buf), NULL, NULL, NULL, &infolen, &infotype,
			     &flags);
	return r->n > 0;
}

int main(void)
{
	struct sockaddr_conn b = link_addr(&end_b, 5001), a = link_addr(&end_a, 5001);
	struct accepting acc = { NULL, NULL };
	struct reading rd;
	struct sctpstat before, after;
	struct socket *cli;
	int r;

	usrsctp_init_nothreads(0, link_output, NULL);
	link_start();
	link_join(&end_a, &end_b);
	acc.lst = usrsctp_socket(AF_CONN, SOCK_STREAM, IPPROTO_SCTP, NULL, NULL, 0, NULL);
	cli = usrsctp_socket(AF_CONN, SOCK_STREAM, IPPROTO_SCTP, NULL, NULL, 0, NULL);
	check_int("bind", usrsctp_bind(acc.lst, (struct sockaddr *)&b, sizeof(b)), errno, 0, 0);
	check_int("listen", usrsctp_listen(acc.lst, 1), errno, 0, 0);
	usrsctp_set_non_blocking(acc.lst, 1);
	usrsctp_set_non_blocking(cli, 1);
	r = usrsctp_connect(cli, (struct sockaddr *)&a, sizeof(a));
	check_true("connect started", r == 0 || errno == EINPROGRESS, "0 or EINPROGRESS", "other");
	check_true("association accepted (handshake driven by packets alone)",
		   drive_until(accepted, &acc, 3000, 1), "yes", "no");
	if (acc.acc == NULL)
		return check_summary();
	usrsctp_set_non_blocking(acc.acc, 1);
	link_wait_quiet(100, 1000);

	usrsctp_get_stat(&before);
	link_set_loss(1); /* every packet: the DATA below is lost */
	check_int("sendv", usrsctp_sendv(cli, "lost once", 9, NULL, 0, NULL, 0, SCTP_SENDV_NOINFO, 0),
		  errno, 9, 0);
	link_wait_quiet(50, 500);
	link_set_loss(0);
	rd.so = acc.acc;
	check_true("without usrsctp_handle_timers nothing is retransmitted (3 s)",
		   !drive_until(got_data, &rd, 3000, 0), "nothing", "data arrived");
	check_true("with usrsctp_handle_timers the DATA is retransmitted",
		   drive_until(got_data, &rd, 5000, 1), "data", "nothing");
	check_true("the data", rd.n == 9 && memcmp(rd.buf, "lost once", 9) == 0, "\"lost once\"",
		   "other bytes");
	usrsctp_get_stat(&after);
	check_true("sctps_timodata counted the T3 timeout", after.sctps_timodata > before.sctps_timodata,
		   "more", "same");

	usrsctp_close(cli);
	usrsctp_close(acc.acc);
	usrsctp_close(acc.lst);
	link_wait_quiet(100, 2000);
	link_stop();
	check_int("usrsctp_finish", link_finish(5000), 0, 0, 0);
	return check_summary();
}
