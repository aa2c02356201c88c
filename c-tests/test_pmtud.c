/*
 * Path MTU discovery (RFC 8899) over AF_CONN, seen through the socket API.
 *
 * The link drops every packet larger than a limit the test sets, as a path with that MTU does.
 * - By default (as in libusrsctp) the path MTU stays at 1268 (1280-byte packets) and
 *   SCTP_PEER_ADDR_PARAMS reports SPP_PMTUD_ENABLE.
 * - SPP_PMTUD_ENABLE with an spp_pathmtu above the MTU in use turns discovery on, up to that
 *   MTU: SCTP_GET_PEER_ADDR_INFO's spinfo_mtu grows to the link's limit (minus the 12-byte
 *   common header, as libusrsctp reports MTUs).
 * - When the limit drops during a transfer, the association notices the black hole, spinfo_mtu
 *   shrinks to the new limit, and every message still arrives once and in order.
 * - SPP_PMTUD_DISABLE with spp_pathmtu fixes the MTU: it stays there when the limit rises.
 *
 * - SPP_PMTUD_DISABLE without an spp_pathmtu of 512 to 65536 is EINVAL, as in libusrsctp.
 *
 * Discovery is an extension: Debian's libusrsctp has none over AF_CONN, so on it the three
 * growth and shrink checks fail; the others pass on both libraries.
 */
#include <pthread.h>
#include <stdlib.h>
#include <unistd.h>
#include <usrsctp.h>

#include "check.h"
#include "conn_link.h"

static struct link_end end_a, end_b;
static volatile size_t drop_above = 100000;
static volatile size_t largest_sent;

static int output(void *addr, void *buffer, size_t length, uint8_t tos, uint8_t set_df)
{
	if (length > largest_sent)
		largest_sent = length;
	if (length > drop_above)
		return 0; /* too big for the path: lost */
	return link_output(addr, buffer, length, tos, set_df);
}

static struct sockaddr_conn peer;

#define LENGTH 3000
#include "pmtud_pump.h"

static struct socket *open_pair(struct socket *lst, struct socket **acc, int discovery, uint32_t max)
{
	struct socket *cli = usrsctp_socket(AF_CONN, SOCK_STREAM, IPPROTO_SCTP, NULL, NULL, 0, NULL);

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

int main(void)
{
	struct sockaddr_conn b = link_addr(&end_b, 5001);
	struct socket *lst, *cli, *acc, *plain, *plain_acc;
	struct sctp_paddrparams pp;
	unsigned int mtu;
	long t0;

	peer = link_addr(&end_a, 5001);
	usrsctp_init(0, output, NULL);
	link_start();
	link_join(&end_a, &end_b);
	lst = usrsctp_socket(AF_CONN, SOCK_STREAM, IPPROTO_SCTP, NULL, NULL, 0, NULL);
	if (usrsctp_bind(lst, (struct sockaddr *)&b, sizeof(b)) != 0 || usrsctp_listen(lst, 2) != 0) {
		perror("listen");
		return 2;
	}
	drop_above = 9000;

	/* Without the extension: libusrsctp's fixed MTU. */
	plain = open_pair(lst, &plain_acc, 0, 0);
	pp = params(plain);
	check_true("default flags have SPP_PMTUD_ENABLE", (pp.spp_flags & SPP_PMTUD_ENABLE) != 0,
	    "set", (pp.spp_flags & SPP_PMTUD_ENABLE) ? "set" : "clear");
	check_u("default spp_pathmtu", pp.spp_pathmtu, 1268);
	/* A program that writes back what it read changes nothing. */
	CHECK("write the settings back", set_params(plain, pp.spp_flags, pp.spp_pathmtu), 0, 0);
	mtu = pump(plain, plain_acc, 2500, 0);
	check_u("default spinfo_mtu after a transfer", mtu, 1268);
	check_true("no packet above 1280 bytes", largest_sent <= 1280, "<= 1280", largest_sent <= 1280 ? "yes" : "no");
	drain(plain, plain_acc);
	check_u("default: every message arrived", received, sent);

	/* Discovery on, up to 65000. */
	sent = received = 0;
	cli = open_pair(lst, &acc, 1, 65000);
	t0 = link_now_ms();
	mtu = pump(cli, acc, 20000, 9000 - 12);
	check_u("spinfo_mtu grows to the path's limit", mtu, 9000 - 12);
	printf("     (after %ld ms)\n", link_now_ms() - t0);
	check_u("spp_pathmtu reports it too", params(cli).spp_pathmtu, 9000 - 12);

	/* The path MTU drops during the transfer. */
	drop_above = 1500;
	t0 = link_now_ms();
	mtu = pump(cli, acc, 40000, 1500 - 12);
	check_u("spinfo_mtu shrinks to the new limit", mtu, 1500 - 12);
	printf("     (after %ld ms)\n", link_now_ms() - t0);
	drop_above = 1280;
	t0 = link_now_ms();
	mtu = pump(cli, acc, 40000, 1280 - 12);
	check_u("and again", mtu, 1280 - 12);
	printf("     (after %ld ms)\n", link_now_ms() - t0);
	drain(cli, acc);
	check_u("every message arrived", received, sent);
	check_int("once and in order", out_of_order, 0, 0, 0);
	printf("     (%u messages of %d bytes, %u of them read in pieces)\n", sent, LENGTH, in_pieces);

	/* As libusrsctp: SPP_PMTUD_DISABLE needs an MTU of 512 to 65536. */
	CHECK("SPP_PMTUD_DISABLE without spp_pathmtu", set_params(cli, SPP_PMTUD_DISABLE, 0), -1, EINVAL);
	CHECK("SPP_PMTUD_DISABLE at 100", set_params(cli, SPP_PMTUD_DISABLE, 100), -1, EINVAL);
	check_u("neither changed the MTU", path_mtu(cli), 1280 - 12);

	/* Discovery off at a fixed MTU: it stays there. */
	CHECK("SPP_PMTUD_DISABLE at 1200", set_params(cli, SPP_PMTUD_DISABLE, 1200), 0, 0);
	drop_above = 9000;
	mtu = pump(cli, acc, 4000, 0);
	check_u("the fixed MTU holds", mtu, 1200);
	pp = params(cli);
	check_true("flags say SPP_PMTUD_DISABLE", (pp.spp_flags & SPP_PMTUD_DISABLE) != 0, "set",
	    (pp.spp_flags & SPP_PMTUD_DISABLE) ? "set" : "clear");
	drain(cli, acc);
	check_u("every message arrived", received, sent);

	usrsctp_close(cli);
	usrsctp_close(acc);
	usrsctp_close(plain);
	usrsctp_close(plain_acc);
	usrsctp_close(lst);
	link_wait_quiet(200, 3000);
	link_stop();
	check_int("usrsctp_finish", link_finish(5000), 0, 0, 0);
	return check_summary();
}
