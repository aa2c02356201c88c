/*
 * Path MTU discovery (RFC 8899) over UDP encapsulation (RFC 6951) on the loopback interface of
 * a network namespace of its own: the program runs itself again under `unshare -rn` and
 * changes lo's MTU with `ip link`, which is the path MTU of every packet it sends.
 *
 * - SPP_PMTUD_ENABLE with spp_pathmtu 65536 turns discovery on: spinfo_mtu grows to what lo
 *   carries (65535 bytes of IPv4 minus the IPv4, UDP and SCTP common headers, to a multiple of
 *   4: 65492).
 * - lo's MTU lowered to 9000, then 1500, during a transfer: spinfo_mtu follows (8960, then
 *   1460, what libusrsctp reports over UDP on a 1500-byte path), and every message arrives
 *   once and in order. Discovery sends with DF and without local fragmentation (otherwise the
 *   kernel would fragment the large packets and nothing would be noticed).
 * - SPP_PMTUD_DISABLE with spp_pathmtu 1200: the MTU stays there when lo's grows again.
 * - Against Debian's libusrsctp (its discard_server from libusrsctp-examples, when installed):
 *   it answers the probes (HEARTBEAT with a PAD chunk), spinfo_mtu grows and shrinks the same
 *   way, and the server receives every message.
 *
 * Debian's libusrsctp has no such discovery: the growth checks fail on it.
 */
#include <arpa/inet.h>
#include <fcntl.h>
#include <pthread.h>
#include <signal.h>
#include <sys/wait.h>
#include <stdlib.h>
#include <unistd.h>
#include <usrsctp.h>

#include "check.h"
#include "conn_link.h"

static struct sockaddr_in peer;

static void set_lo_mtu(int mtu)
{
	char cmd[64];

	snprintf(cmd, sizeof(cmd), "ip link set lo mtu %d", mtu);
	if (system(cmd) != 0)
		fprintf(stderr, "%s failed\n", cmd);
}

/* Messages of 12000 bytes: each one makes a packet larger than 9000 bytes, so the drop of lo's
 * MTU to 9000 loses data whatever the timing. (With smaller messages, each sent on its own as
 * soon as the last one is acknowledged, no packet may exceed 9000 bytes: the path then still
 * carries what is sent, nothing is lost, and rightly nothing changes until the raise timer.) */
#define LENGTH 12000
/* What Debian's discard_server receives in one piece and prints as one message. */
#define DEBIAN_LENGTH 3000
#include "pmtud_pump.h"

static struct socket *open_pair(struct socket *lst, struct socket **acc, int discovery, uint32_t max)
{
	struct socket *cli = usrsctp_socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP, NULL, NULL, 0, NULL);
	struct sctp_udpencaps enc;

	memset(&enc, 0, sizeof(enc));
	enc.sue_address.ss_family = AF_INET;
	enc.sue_port = htons(9899);
	usrsctp_setsockopt(cli, IPPROTO_SCTP, SCTP_REMOTE_UDP_ENCAPS_PORT, &enc, sizeof(enc));
	if (discovery && set_params(cli, SPP_PMTUD_ENABLE, max) != 0)
		perror("enable");
	if (usrsctp_connect(cli, (struct sockaddr *)&peer, sizeof(peer)) != 0) {
		perror("connect");
		exit(2);
	}
	*acc = usrsctp_accept(lst, NULL, NULL);
	usrsctp_set_non_blocking(cli, 1);
	usrsctp_set_non_blocking(*acc, 1);
	return cli;
}

#define DEBIAN_SERVER "/usr/lib/usrsctp/discard_server"

/* Our client, Debian's discard_server (on Debian's library) as the peer, SCTP port 9 over UDP
 * port 11111; it sends to our UDP port 9899. */
static void against_libusrsctp(void)
{
	struct sockaddr_in to;
	struct sctp_udpencaps enc;
	struct socket *cli;
	static char buf[DEBIAN_LENGTH];
	char cmd[128];
	FILE *counter;
	char log_name[] = "/tmp/test_pmtud_udp_XXXXXX";
	int log_fd = mkstemp(log_name);
	pid_t pid;
	unsigned int mtu = 0, count = 0, i;
	long t0;

	if (access(DEBIAN_SERVER, X_OK) != 0) {
		printf("skip against libusrsctp: %s is not installed (libusrsctp-examples)\n", DEBIAN_SERVER);
		return;
	}
	set_lo_mtu(65536);
	/* Its output goes to a file: it prints much (Debian builds it with debug output), and a
	 * pipe nobody reads would stall it. */
	if (log_fd < 0 || (pid = fork()) < 0) {
		perror("mkstemp/fork");
		failed++;
		return;
	}
	if (pid == 0) {
		/* Debian's program on Debian's library. */
		dup2(log_fd, 1);
		dup2(log_fd, 2);
		unsetenv("LD_LIBRARY_PATH");
		unsetenv("LD_PRELOAD");
		execl(DEBIAN_SERVER, DEBIAN_SERVER, "11111", "9899", (char *)NULL);
		_exit(127);
	}
	sleep(1);
	memset(&to, 0, sizeof(to));
	to.sin_family = AF_INET;
	to.sin_port = htons(9);
	to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	peer = to;
	cli = usrsctp_socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP, NULL, NULL, 0, NULL);
	memset(&enc, 0, sizeof(enc));
	enc.sue_address.ss_family = AF_INET;
	enc.sue_port = htons(11111);
	usrsctp_setsockopt(cli, IPPROTO_SCTP, SCTP_REMOTE_UDP_ENCAPS_PORT, &enc, sizeof(enc));
	set_params(cli, SPP_PMTUD_ENABLE, 65536);
	if (usrsctp_connect(cli, (struct sockaddr *)&to, sizeof(to)) != 0) {
		perror("connect to discard_server");
		failed++;
		kill(pid, SIGTERM);
		waitpid(pid, NULL, 0);
		return;
	}
	memset(buf, 'd', sizeof(buf));
	t0 = link_now_ms();
	while (link_now_ms() - t0 < 20000 && (mtu = path_mtu(cli)) != 65492)
		usleep(10000);
	check_u("libusrsctp peer: spinfo_mtu grows", mtu, 65492);
	set_lo_mtu(1500);
	t0 = link_now_ms();
	for (i = 0; link_now_ms() - t0 < 40000; i++) {
		if (i < 400 && usrsctp_sendv(cli, buf, DEBIAN_LENGTH, NULL, 0, NULL, 0, SCTP_SENDV_NOINFO, 0) ==
		    DEBIAN_LENGTH)
			sent++;
		else if (i < 400)
			i--;
		if ((mtu = path_mtu(cli)) == 1460 && i >= 400)
			break;
		usleep(5000);
	}
	check_u("libusrsctp peer: spinfo_mtu shrinks", mtu, 1460);
	usrsctp_shutdown(cli, SHUT_WR);
	sleep(2);
	usrsctp_close(cli);
	sleep(1);
	/* The server prints a line per message. */
	kill(pid, SIGTERM);
	waitpid(pid, NULL, 0);
	close(log_fd);
	snprintf(cmd, sizeof(cmd), "grep -c 'Msg of length %d ' %s", DEBIAN_LENGTH, log_name);
	counter = popen(cmd, "r");
	if (counter == NULL || fscanf(counter, "%u", &count) != 1)
		count = 0;
	if (counter != NULL)
		pclose(counter);
	unlink(log_name);
	check_u("libusrsctp peer: every message arrived", count, 400);
}

int main(int argc, char **argv)
{
	struct sockaddr_in any;
	struct sctp_udpencaps enc;
	struct socket *lst, *cli, *acc;
	struct sctp_paddrparams pp;
	unsigned int mtu;
	long t0;

	(void)argc;
	if (getenv("TEST_PMTUD_NETNS") == NULL) {
		setenv("TEST_PMTUD_NETNS", "1", 1);
		execlp("unshare", "unshare", "-rn", argv[0], (char *)NULL);
		perror("unshare (needed for a network namespace of its own)");
		return 2;
	}
	if (system("ip link set lo up") != 0) {
		fprintf(stderr, "cannot bring lo up\n");
		return 2;
	}
	memset(&peer, 0, sizeof(peer));
	peer.sin_family = AF_INET;
	peer.sin_port = htons(5001);
	peer.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	any = peer;
	any.sin_addr.s_addr = htonl(INADDR_ANY);
	usrsctp_init(9899, NULL, NULL);
	lst = usrsctp_socket(AF_INET, SOCK_STREAM, IPPROTO_SCTP, NULL, NULL, 0, NULL);
	memset(&enc, 0, sizeof(enc));
	enc.sue_address.ss_family = AF_INET;
	enc.sue_port = htons(9899);
	usrsctp_setsockopt(lst, IPPROTO_SCTP, SCTP_REMOTE_UDP_ENCAPS_PORT, &enc, sizeof(enc));
	if (usrsctp_bind(lst, (struct sockaddr *)&any, sizeof(any)) != 0 || usrsctp_listen(lst, 2) != 0) {
		perror("listen");
		return 2;
	}

	cli = open_pair(lst, &acc, 1, 65536);
	t0 = link_now_ms();
	mtu = pump(cli, acc, 20000, 65492);
	check_u("spinfo_mtu grows to what lo carries", mtu, 65492);
	printf("     (after %ld ms)\n", link_now_ms() - t0);

	set_lo_mtu(9000);
	t0 = link_now_ms();
	mtu = pump(cli, acc, 40000, 9000 - 28 - 12);
	check_u("lo at 9000: spinfo_mtu shrinks", mtu, 9000 - 28 - 12);
	printf("     (after %ld ms)\n", link_now_ms() - t0);
	set_lo_mtu(1500);
	t0 = link_now_ms();
	mtu = pump(cli, acc, 40000, 1500 - 28 - 12);
	check_u("lo at 1500: spinfo_mtu shrinks again", mtu, 1500 - 28 - 12);
	printf("     (after %ld ms)\n", link_now_ms() - t0);
	drain(cli, acc);
	check_u("every message arrived", received, sent);
	check_int("once and in order", out_of_order, 0, 0, 0);
	printf("     (%u messages of %d bytes, %u of them read in pieces)\n", sent, LENGTH, in_pieces);

	CHECK("SPP_PMTUD_DISABLE at 1200", set_params(cli, SPP_PMTUD_DISABLE, 1200), 0, 0);
	set_lo_mtu(65536);
	mtu = pump(cli, acc, 4000, 0);
	check_u("the fixed MTU holds", mtu, 1200);
	pp = params(cli);
	check_true("flags say SPP_PMTUD_DISABLE", (pp.spp_flags & SPP_PMTUD_DISABLE) != 0, "set",
	    (pp.spp_flags & SPP_PMTUD_DISABLE) ? "set" : "clear");
	drain(cli, acc);
	check_u("every message arrived", received, sent);

	usrsctp_close(cli);
	usrsctp_close(acc);
	usrsctp_close(lst);
	against_libusrsctp();
	sleep(1);
	{
		long start = link_now_ms();

		while (usrsctp_finish() != 0 && link_now_ms() - start < 5000)
			usleep(10000);
	}
	return check_summary();
}
