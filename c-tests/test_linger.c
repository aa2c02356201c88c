/*
 * SO_LINGER as libusrsctp 0.9.5 treats it: usrsctp_close never waits (also with a linger time
 * and a silent peer; the shutdown goes on in the background), and a linger time of 0 aborts the
 * association instead of shutting it down: the peer reads ECONNRESET.
 */
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>
#include <usrsctp.h>

#include "check.h"
#include "conn_link.h"

static struct link_end end_a, end_b;
static uint16_t next_port = 5100;

/* A connected client and its accepted peer. */
static void pair(struct socket **cli, struct socket **acc)
{
	struct sockaddr_conn b = link_addr(&end_b, next_port), a = link_addr(&end_a, next_port);
	struct socket *lst = usrsctp_socket(AF_CONN, SOCK_STREAM, IPPROTO_SCTP, NULL, NULL, 0, NULL);

	next_port++;
	*cli = usrsctp_socket(AF_CONN, SOCK_STREAM, IPPROTO_SCTP, NULL, NULL, 0, NULL);
	if (usrsctp_bind(lst, (struct sockaddr *)&b, sizeof(b)) != 0 || usrsctp_listen(lst, 1) != 0 ||
	    usrsctp_connect(*cli, (struct sockaddr *)&a, sizeof(a)) != 0) {
		perror("setting up a pair");
		exit(2);
	}
	*acc = usrsctp_accept(lst, NULL, NULL);
	usrsctp_close(lst);
}

/* Milliseconds usrsctp_close(so) took. */
static long timed_close(struct socket *so)
{
	long start = link_now_ms();

	usrsctp_close(so);
	return link_now_ms() - start;
}

int main(void)
{
	struct socket *cli, *acc;
	struct linger l = { 1, 1 };
	long ms;
	char got[64];

	usrsctp_init(0, link_output, NULL);
	link_start();
	link_join(&end_a, &end_b);

	pair(&cli, &acc);
	ms = timed_close(cli);
	snprintf(got, sizeof(got), "%ld ms", ms);
	check_true("close without SO_LINGER returns at once", ms < 200, "< 200 ms", got);
	usrsctp_close(acc);

	pair(&cli, &acc);
	check_int("SO_LINGER 1 s", usrsctp_setsockopt(cli, SOL_SOCKET, SO_LINGER, &l, sizeof(l)), errno,
		  0, 0);
	ms = timed_close(cli);
	snprintf(got, sizeof(got), "%ld ms", ms);
	check_true("close with SO_LINGER returns at once", ms < 200, "< 200 ms", got);
	usrsctp_close(acc);

	pair(&cli, &acc);
	usrsctp_setsockopt(cli, SOL_SOCKET, SO_LINGER, &l, sizeof(l));
	link_pause(1); /* the SHUTDOWN cannot be answered */
	ms = timed_close(cli);
	snprintf(got, sizeof(got), "%ld ms", ms);
	check_true("close with SO_LINGER does not wait for a silent peer", ms < 200, "< 200 ms", got);
	link_pause(0);
	usrsctp_close(acc);

	pair(&cli, &acc);
	l.l_linger = 0;
	usrsctp_setsockopt(cli, SOL_SOCKET, SO_LINGER, &l, sizeof(l));
	usrsctp_close(cli);
	link_wait_quiet(100, 2000);
	{
		char buf[16];
		unsigned int infotype = 0;
		int flags = 0;
		socklen_t infolen = 0;
		ssize_t n = usrsctp_recvv(acc, buf, sizeof(buf), NULL, NULL, NULL, &infolen, &infotype,
					  &flags);

		check_int("SO_LINGER 0: the peer's association was aborted", n, errno, -1, ECONNRESET);
	}
	usrsctp_close(acc);

	link_wait_quiet(100, 3000);
	link_stop();
	check_int("usrsctp_finish", link_finish(10000), 0, 0, 0);
	return check_summary();
}
