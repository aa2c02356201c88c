/*
 * Data the peer sent before it shut down is all read, even when it did not fit the receive
 * buffer when the shutdown completed: the association ends only after its last message went
 * to the socket. (Without that rule 41 of the 60 messages arrived, then the end of the stream.)
 * libusrsctp keeps the rest unacknowledged instead, so its shutdown is not over when the reader
 * starts: there the test stops at 41 messages and EAGAIN, which is not a loss.
 */
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>
#include <usrsctp.h>

#include "check.h"
#include "conn_link.h"

#define MESSAGES 60
#define LENGTH 100

static struct link_end end_a, end_b;

int main(void)
{
	struct sockaddr_conn b = link_addr(&end_b, 5001), a = link_addr(&end_a, 5001);
	struct socket *lst, *cli, *acc;
	int rcvbuf = 4096, i, count = 0, bytes = 0;
	char buf[LENGTH];
	ssize_t n;

	usrsctp_init(0, link_output, NULL);
	link_start();
	link_join(&end_a, &end_b);
	lst = usrsctp_socket(AF_CONN, SOCK_STREAM, IPPROTO_SCTP, NULL, NULL, 0, NULL);
	cli = usrsctp_socket(AF_CONN, SOCK_STREAM, IPPROTO_SCTP, NULL, NULL, 0, NULL);
	/* Room for less than all the data, but the data fits the socket and the association. */
	usrsctp_setsockopt(lst, SOL_SOCKET, SO_RCVBUF, &rcvbuf, sizeof(rcvbuf));
	if (usrsctp_bind(lst, (struct sockaddr *)&b, sizeof(b)) != 0 || usrsctp_listen(lst, 1) != 0 ||
	    usrsctp_connect(cli, (struct sockaddr *)&a, sizeof(a)) != 0) {
		perror("setup");
		return 2;
	}
	acc = usrsctp_accept(lst, NULL, NULL);
	memset(buf, 'x', sizeof(buf));
	for (i = 0; i < MESSAGES; i++) {
		if (usrsctp_sendv(cli, buf, LENGTH, NULL, 0, NULL, 0, SCTP_SENDV_NOINFO, 0) != LENGTH)
			break;
	}
	check_int("all messages sent", i, 0, MESSAGES, 0);
	check_int("shutdown", usrsctp_shutdown(cli, SHUT_WR), errno, 0, 0);
	link_wait_quiet(300, 5000);
	/* The shutdown is over; only now does the server read. */
	usrsctp_set_non_blocking(acc, 1);
	for (;;) {
		unsigned int infotype = 0;
		int flags = 0;
		socklen_t infolen = 0;

		n = usrsctp_recvv(acc, buf, sizeof(buf), NULL, NULL, NULL, &infolen, &infotype, &flags);
		if (n <= 0)
			break;
		count++;
		bytes += (int)n;
	}
	check_int("messages read after the shutdown", count, 0, MESSAGES, 0);
	check_int("bytes read", bytes, 0, MESSAGES * LENGTH, 0);
	check_int("then the end of the stream", n, 0, 0, 0);
	usrsctp_close(cli);
	usrsctp_close(acc);
	usrsctp_close(lst);
	link_wait_quiet(100, 2000);
	link_stop();
	check_int("usrsctp_finish", link_finish(5000), 0, 0, 0);
	return check_summary();
}
