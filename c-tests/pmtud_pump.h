/*
 * What the two path MTU discovery tests share: reading and setting SCTP_PEER_ADDR_PARAMS and
 * spinfo_mtu for the peer, and a transfer that checks every message arrives once and in order.
 *
 * The including test declares `peer` (the peer's address, of whatever sockaddr type its
 * transport uses) and defines LENGTH (the message size) before including this file.
 */
#ifndef PMTUD_PUMP_H
#define PMTUD_PUMP_H

#include <string.h>
#include <unistd.h>
#include <usrsctp.h>

#include "conn_link.h"

static struct sctp_paddrparams params(struct socket *s)
{
	struct sctp_paddrparams pp;
	socklen_t len = sizeof(pp);

	memset(&pp, 0, sizeof(pp));
	memcpy(&pp.spp_address, &peer, sizeof(peer));
	if (usrsctp_getsockopt(s, IPPROTO_SCTP, SCTP_PEER_ADDR_PARAMS, &pp, &len) != 0)
		perror("SCTP_PEER_ADDR_PARAMS");
	return pp;
}

static int set_params(struct socket *s, uint32_t flags, uint32_t pathmtu)
{
	struct sctp_paddrparams pp;

	memset(&pp, 0, sizeof(pp));
	memcpy(&pp.spp_address, &peer, sizeof(peer));
	pp.spp_flags = flags;
	pp.spp_pathmtu = pathmtu;
	return usrsctp_setsockopt(s, IPPROTO_SCTP, SCTP_PEER_ADDR_PARAMS, &pp, sizeof(pp));
}

static unsigned int path_mtu(struct socket *s)
{
	struct sctp_paddrinfo pi;
	socklen_t len = sizeof(pi);

	memset(&pi, 0, sizeof(pi));
	memcpy(&pi.spinfo_address, &peer, sizeof(peer));
	if (usrsctp_getsockopt(s, IPPROTO_SCTP, SCTP_GET_PEER_ADDR_INFO, &pi, &len) != 0)
		return 0;
	return pi.spinfo_mtu;
}

static unsigned int sent, received, in_pieces;
static int out_of_order, sending = 1;

/* Takes n bytes read with flags: a message may come in pieces (partial delivery, when the
 * receiver's buffer is full of messages waiting behind a lost one), the last with MSG_EOR.
 * Checks each whole message: its length, its number (the count so far) and its filling. */
static void take(const char *data, size_t n, int flags)
{
	static char msg[LENGTH];
	static size_t have, pieces;
	unsigned int index;

	if (have + n > LENGTH) {
		out_of_order++;
		have = 0;
		return;
	}
	memcpy(msg + have, data, n);
	have += n;
	pieces++;
	if (!(flags & MSG_EOR))
		return;
	memcpy(&index, msg, sizeof(index));
	if (have != LENGTH || index != received || (unsigned char)msg[LENGTH - 1] != (index & 0xff))
		out_of_order++;
	if (pieces > 1)
		in_pieces++;
	received++;
	have = 0;
	pieces = 0;
}

/* Sends what the socket takes and reads what arrived, for ms milliseconds or until mtu(cli)
 * equals want (0: the whole time); returns the last MTU seen. */
static unsigned int pump(struct socket *cli, struct socket *acc, int ms, unsigned int want)
{
	static char buf[LENGTH], in[LENGTH * 2];
	long end = link_now_ms() + ms;
	unsigned int mtu = 0;

	while (link_now_ms() < end) {
		int k;

		for (k = 0; sending && k < 8; k++) {
			memset(buf, (int)(sent & 0xff), sizeof(buf));
			memcpy(buf, &sent, sizeof(sent));
			if (usrsctp_sendv(cli, buf, LENGTH, NULL, 0, NULL, 0, SCTP_SENDV_NOINFO, 0) != LENGTH)
				break;
			sent++;
		}
		for (;;) {
			unsigned int infotype = 0;
			int flags = 0;
			socklen_t infolen = 0;
			ssize_t n = usrsctp_recvv(acc, in, sizeof(in), NULL, NULL, NULL, &infolen, &infotype,
			    &flags);

			if (n <= 0)
				break;
			take(in, (size_t)n, flags);
		}
		mtu = path_mtu(cli);
		if (want != 0 && mtu == want)
			break;
		usleep(2000);
	}
	return mtu;
}

/* Reads what is still in flight once the sender stopped. */
static void drain(struct socket *cli, struct socket *acc)
{
	long end = link_now_ms() + 20000;

	sending = 0;
	while (received < sent && link_now_ms() < end)
		pump(cli, acc, 50, 0);
	sending = 1;
}

#endif
