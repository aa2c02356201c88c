/*
 * AUTH (RFC 4895) through the socket API (RFC 6458): SCTP_AUTH_SUPPORTED and
 * SCTP_ASCONF_SUPPORTED, SCTP_HMAC_IDENT, SCTP_AUTH_CHUNK, SCTP_AUTH_KEY, SCTP_AUTH_ACTIVE_KEY,
 * SCTP_AUTH_DELETE_KEY, SCTP_AUTH_DEACTIVATE_KEY, SCTP_LOCAL_AUTH_CHUNKS and
 * SCTP_PEER_AUTH_CHUNKS on sockets and on AF_CONN associations in this process, with the
 * SCTP_AUTHENTICATION_EVENT notifications: NEW_KEY when the peer starts using a key, FREE_KEY
 * when a key is deactivated, NO_AUTH after COMM_UP when the peer does not support AUTH (and then
 * no ASCONF either). A server
 * that requires DATA to be authenticated receives messages signed with a shared key and none
 * signed with a key it does not share.
 *
 * Every expected value is what Debian's libusrsctp 0.9.5 answers (run this program against it:
 * LD_LIBRARY_PATH=/usr/lib/x86_64-linux-gnu build/c-tests/test_auth). libusrsctp is built without
 * HMAC-SHA-256; ours accepts it in SCTP_HMAC_IDENT, which this program does not look at.
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

static int set(struct socket *so, int opt, const void *v, socklen_t len)
{
	return usrsctp_setsockopt(so, IPPROTO_SCTP, opt, v, len);
}

static int get(struct socket *so, int opt, void *v, socklen_t *len)
{
	return usrsctp_getsockopt(so, IPPROTO_SCTP, opt, v, len);
}

static int set_av(struct socket *so, int opt, sctp_assoc_t id, uint32_t value)
{
	struct sctp_assoc_value v;

	v.assoc_id = id;
	v.assoc_value = value;
	return set(so, opt, &v, sizeof(v));
}

static long get_av(struct socket *so, int opt, sctp_assoc_t id)
{
	struct sctp_assoc_value v;
	socklen_t len = sizeof(v);

	v.assoc_id = id;
	v.assoc_value = 77;
	if (get(so, opt, &v, &len) != 0)
		return -1;
	return v.assoc_value;
}

static int set_hmacs(struct socket *so, const uint16_t *ids, uint32_t n)
{
	unsigned char buf[64];
	struct sctp_hmacalgo *h = (struct sctp_hmacalgo *)buf;

	h->shmac_number_of_idents = n;
	memcpy(h->shmac_idents, ids, n * sizeof(uint16_t));
	return set(so, SCTP_HMAC_IDENT, buf, (socklen_t)(sizeof(*h) + n * sizeof(uint16_t)));
}

static int auth_chunk(struct socket *so, uint8_t type)
{
	struct sctp_authchunk c;

	c.sauth_chunk = type;
	return set(so, SCTP_AUTH_CHUNK, &c, sizeof(c));
}

/* SCTP_AUTH_KEY with `key`; `extra` makes sca_keylength claim more bytes than were given. */
static int set_key(struct socket *so, sctp_assoc_t id, uint16_t num, const char *key, int extra)
{
	unsigned char buf[128];
	struct sctp_authkey *k = (struct sctp_authkey *)buf;
	size_t len = strlen(key);

	k->sca_assoc_id = id;
	k->sca_keynumber = num;
	k->sca_keylength = (uint16_t)(len + extra);
	memcpy(k->sca_key, key, len);
	return set(so, SCTP_AUTH_KEY, buf, (socklen_t)(sizeof(*k) + len));
}

static int key_op(struct socket *so, int opt, sctp_assoc_t id, uint16_t num)
{
	struct sctp_authkeyid k;

	k.scact_assoc_id = id;
	k.scact_keynumber = num;
	return set(so, opt, &k, sizeof(k));
}

static long active_key(struct socket *so, sctp_assoc_t id)
{
	struct sctp_authkeyid k;
	socklen_t len = sizeof(k);

	k.scact_assoc_id = id;
	k.scact_keynumber = 999;
	if (get(so, SCTP_AUTH_ACTIVE_KEY, &k, &len) != 0)
		return -1;
	return k.scact_keynumber;
}

/*
 * SCTP_LOCAL_AUTH_CHUNKS or SCTP_PEER_AUTH_CHUNKS as "n: t1 t2 ..." in `out` (the count is the
 * 32-bit word libusrsctp writes after the association id), or "-1/ERRNO".
 */
static void chunk_list(struct socket *so, int opt, sctp_assoc_t id, char *out, size_t size)
{
	unsigned char buf[300];
	socklen_t len = sizeof(buf);
	struct sctp_authchunks *c = (struct sctp_authchunks *)buf;
	uint32_t n;
	size_t used;

	c->gauth_assoc_id = id;
	errno = 0;
	if (get(so, opt, buf, &len) != 0) {
		snprintf(out, size, "-1/%s", errname(errno));
		return;
	}
	memcpy(&n, buf + 4, 4);
	used = (size_t)snprintf(out, size, "%u:", n);
	for (socklen_t i = 8; i < len && used + 4 < size; i++)
		used += (size_t)snprintf(out + used, size - used, " %02x", buf[i]);
}

#define CHECK_LIST(name, so, opt, id, want) do { \
	char got_[128]; \
	chunk_list(so, opt, id, got_, sizeof(got_)); \
	check_true(name, strcmp(got_, want) == 0, want, got_); \
} while (0)

static void subscribe(struct socket *so)
{
	struct sctp_event ev;
	uint16_t types[] = { SCTP_ASSOC_CHANGE, SCTP_AUTHENTICATION_EVENT };

	memset(&ev, 0, sizeof(ev));
	ev.se_assoc_id = SCTP_ALL_ASSOC;
	ev.se_on = 1;
	for (size_t i = 0; i < sizeof(types) / sizeof(types[0]); i++) {
		ev.se_type = types[i];
		if (set(so, SCTP_EVENT, &ev, sizeof(ev)) != 0)
			fail_setup("SCTP_EVENT");
	}
}

/* What a non-blocking socket has to read: data as "data:TEXT", authentication events as
 * "auth:KEY/ALT/INDICATION", association changes as "assoc:STATE" (with "+auth" and "+asconf"
 * when COMM_UP lists those features), separated by spaces. */
static void drain(struct socket *so, char *out, size_t size)
{
	size_t used = 0;

	out[0] = '\0';
	for (;;) {
		char buf[2048];
		struct sockaddr_storage from;
		socklen_t fromlen = sizeof(from), infolen = sizeof(struct sctp_rcvinfo);
		struct sctp_rcvinfo info;
		unsigned int infotype = 0;
		int flags = 0;
		ssize_t n = usrsctp_recvv(so, buf, sizeof(buf), (struct sockaddr *)&from, &fromlen, &info,
		                          &infolen, &infotype, &flags);

		if (n <= 0 || used + 40 >= size)
			return;
		if (flags & MSG_NOTIFICATION) {
			union sctp_notification *note = (union sctp_notification *)buf;

			if (note->sn_header.sn_type == SCTP_AUTHENTICATION_EVENT) {
				uint16_t alt;

				/* auth_altkeynumber of libusrsctp's own structure, padding in usrsctp.h */
				memcpy(&alt, buf + 10, 2);
				used += (size_t)snprintf(out + used, size - used, "%sauth:%u/%u/%u",
				                         used ? " " : "", note->sn_auth_event.auth_keynumber, alt,
				                         note->sn_auth_event.auth_indication);
			} else if (note->sn_header.sn_type == SCTP_ASSOC_CHANGE) {
				struct sctp_assoc_change *ac = &note->sn_assoc_change;
				size_t info = ac->sac_length - sizeof(*ac), auth = 0, asconf = 0;

				/* sac_info of COMM_UP lists the features (SCTP_ASSOC_SUPPORTS_*). */
				for (size_t i = 0; ac->sac_state == SCTP_COMM_UP && i < info; i++) {
					auth |= ac->sac_info[i] == SCTP_ASSOC_SUPPORTS_AUTH;
					asconf |= ac->sac_info[i] == SCTP_ASSOC_SUPPORTS_ASCONF;
				}
				used += (size_t)snprintf(out + used, size - used, "%sassoc:%u%s%s", used ? " " : "",
				                         ac->sac_state, auth ? "+auth" : "", asconf ? "+asconf" : "");
			}
		} else {
			used += (size_t)snprintf(out + used, size - used, "%sdata:%.*s", used ? " " : "",
			                         (int)n, buf);
		}
	}
}

#define CHECK_READ(name, so, want) do { \
	char got_[512]; \
	link_wait_quiet(100, 3000); \
	drain(so, got_, sizeof(got_)); \
	check_true(name, strcmp(got_, want) == 0, want, got_); \
} while (0)

static void send_text(struct socket *so, const char *text)
{
	if (usrsctp_sendv(so, text, strlen(text), NULL, 0, NULL, 0, SCTP_SENDV_NOINFO, 0) < 0)
		fail_setup("usrsctp_sendv");
}

/* A one-to-one client bound to A and connected to A:port, non-blocking once connected. */
static struct socket *connect_client(struct socket *so, uint16_t port)
{
	struct sockaddr_conn sc = link_addr(&end_a, 0);

	if (usrsctp_bind(so, (struct sockaddr *)&sc, sizeof(sc)) != 0)
		fail_setup("bind client");
	sc = link_addr(&end_a, port);
	if (usrsctp_connect(so, (struct sockaddr *)&sc, sizeof(sc)) != 0)
		fail_setup("connect");
	usrsctp_set_non_blocking(so, 1);
	return so;
}

static struct socket *listen_on(uint16_t port)
{
	struct socket *so = new_socket(SOCK_SEQPACKET);
	struct sockaddr_conn sc = link_addr(&end_b, port);

	if (usrsctp_bind(so, (struct sockaddr *)&sc, sizeof(sc)) != 0)
		fail_setup("bind server");
	if (usrsctp_listen(so, 1) != 0)
		fail_setup("listen");
	usrsctp_set_non_blocking(so, 1);
	subscribe(so);
	return so;
}

static sctp_assoc_t only_association(struct socket *so)
{
	sctp_assoc_t ids[8];
	socklen_t len = sizeof(ids);

	if (get(so, SCTP_GET_ASSOC_ID_LIST, ids, &len) != 0 || ids[0] != 1)
		fail_setup("one association");
	return ids[1];
}

static void socket_options(void)
{
	struct socket *many = new_socket(SOCK_SEQPACKET);
	struct socket *one = new_socket(SOCK_STREAM);
	uint16_t sha1[] = { SCTP_AUTH_HMAC_ID_SHA1 }, sha256[] = { SCTP_AUTH_HMAC_ID_SHA256 };
	uint16_t twice[] = { SCTP_AUTH_HMAC_ID_SHA1, SCTP_AUTH_HMAC_ID_SHA1 };
	char got[128];
	socklen_t len;
	unsigned char buf[64];

	/* SCTP_AUTH_SUPPORTED and SCTP_ASCONF_SUPPORTED */
	CHECK("AUTH_SUPPORTED default", get_av(many, SCTP_AUTH_SUPPORTED, SCTP_FUTURE_ASSOC), 1, 0);
	CHECK("AUTH_SUPPORTED one-to-one default", get_av(one, SCTP_AUTH_SUPPORTED, 0), 1, 0);
	CHECK("ASCONF_SUPPORTED default", get_av(many, SCTP_ASCONF_SUPPORTED, SCTP_FUTURE_ASSOC), 1, 0);
	CHECK("get AUTH_SUPPORTED CURRENT", get_av(many, SCTP_AUTH_SUPPORTED, SCTP_CURRENT_ASSOC), -1, EINVAL);
	CHECK("get AUTH_SUPPORTED unknown id", get_av(many, SCTP_AUTH_SUPPORTED, 1234), -1, ENOENT);
	CHECK("set AUTH_SUPPORTED CURRENT", set_av(many, SCTP_AUTH_SUPPORTED, SCTP_CURRENT_ASSOC, 1), -1, EINVAL);
	CHECK("AUTH_SUPPORTED off while ASCONF on", set_av(many, SCTP_AUTH_SUPPORTED, SCTP_FUTURE_ASSOC, 0), -1, EINVAL);
	CHECK("ASCONF_SUPPORTED off", set_av(many, SCTP_ASCONF_SUPPORTED, SCTP_FUTURE_ASSOC, 0), 0, 0);
	CHECK("AUTH_SUPPORTED off", set_av(many, SCTP_AUTH_SUPPORTED, SCTP_FUTURE_ASSOC, 0), 0, 0);
	CHECK("AUTH_SUPPORTED after off", get_av(many, SCTP_AUTH_SUPPORTED, SCTP_FUTURE_ASSOC), 0, 0);
	CHECK("ASCONF_SUPPORTED on while AUTH off", set_av(many, SCTP_ASCONF_SUPPORTED, SCTP_FUTURE_ASSOC, 1), -1, EINVAL);
	CHECK("AUTH_SUPPORTED set 7", set_av(many, SCTP_AUTH_SUPPORTED, SCTP_FUTURE_ASSOC, 7), 0, 0);
	CHECK("AUTH_SUPPORTED after 7", get_av(many, SCTP_AUTH_SUPPORTED, SCTP_FUTURE_ASSOC), 1, 0);

	/* SCTP_HMAC_IDENT */
	memset(buf, 0xee, sizeof(buf));
	len = sizeof(buf);
	CHECK("HMAC_IDENT get", get(many, SCTP_HMAC_IDENT, buf, &len), 0, 0);
	check_u("HMAC_IDENT length", len, 6);
	check_u("HMAC_IDENT count", ((struct sctp_hmacalgo *)buf)->shmac_number_of_idents, 1);
	check_u("HMAC_IDENT first", ((struct sctp_hmacalgo *)buf)->shmac_idents[0], SCTP_AUTH_HMAC_ID_SHA1);
	len = 5;
	CHECK("HMAC_IDENT get into 5 bytes", get(many, SCTP_HMAC_IDENT, buf, &len), -1, EINVAL);
	CHECK("HMAC_IDENT without SHA-1", set_hmacs(many, sha256, 1), -1, EINVAL);
	CHECK("HMAC_IDENT SHA-1 twice", set_hmacs(many, twice, 2), -1, EINVAL);
	CHECK("HMAC_IDENT empty", set_hmacs(many, sha1, 0), -1, EINVAL);
	CHECK("HMAC_IDENT SHA-1", set_hmacs(many, sha1, 1), 0, 0);

	/* SCTP_AUTH_CHUNK and SCTP_LOCAL_AUTH_CHUNKS / SCTP_PEER_AUTH_CHUNKS */
	/* ASCONF and ASCONF-ACK are listed while ASCONF is supported (switched off above). */
	CHECK_LIST("LOCAL_AUTH_CHUNKS without ASCONF", many, SCTP_LOCAL_AUTH_CHUNKS, SCTP_FUTURE_ASSOC, "0:");
	CHECK_LIST("LOCAL_AUTH_CHUNKS default", one, SCTP_LOCAL_AUTH_CHUNKS, 0, "2: 80 c1");
	CHECK_LIST("PEER_AUTH_CHUNKS without association", many, SCTP_PEER_AUTH_CHUNKS, SCTP_FUTURE_ASSOC, "-1/ENOENT");
	CHECK("AUTH_CHUNK DATA", auth_chunk(many, 0x00), 0, 0);
	CHECK("AUTH_CHUNK INIT", auth_chunk(many, 0x01), -1, EINVAL);
	CHECK("AUTH_CHUNK INIT-ACK", auth_chunk(many, 0x02), -1, EINVAL);
	CHECK("AUTH_CHUNK SHUTDOWN-COMPLETE", auth_chunk(many, 0x0e), -1, EINVAL);
	CHECK("AUTH_CHUNK AUTH", auth_chunk(many, 0x0f), -1, EINVAL);
	CHECK("AUTH_CHUNK COOKIE-ECHO", auth_chunk(one, 0x0a), 0, 0);
	CHECK("AUTH_CHUNK length 0", set(one, SCTP_AUTH_CHUNK, buf, 0), -1, EINVAL);
	len = 1;
	CHECK("AUTH_CHUNK cannot be read", get(many, SCTP_AUTH_CHUNK, buf, &len), -1, ENOPROTOOPT);
	CHECK_LIST("LOCAL_AUTH_CHUNKS with DATA", many, SCTP_LOCAL_AUTH_CHUNKS, SCTP_FUTURE_ASSOC, "1: 00");
	CHECK("ASCONF_SUPPORTED on again", set_av(many, SCTP_ASCONF_SUPPORTED, SCTP_FUTURE_ASSOC, 1), 0, 0);
	CHECK_LIST("LOCAL_AUTH_CHUNKS with ASCONF", many, SCTP_LOCAL_AUTH_CHUNKS, SCTP_FUTURE_ASSOC, "3: 00 80 c1");
	CHECK_LIST("LOCAL_AUTH_CHUNKS one-to-one", one, SCTP_LOCAL_AUTH_CHUNKS, 0, "3: 0a 80 c1");
	len = 5;
	CHECK("LOCAL_AUTH_CHUNKS into 5 bytes", get(many, SCTP_LOCAL_AUTH_CHUNKS, buf, &len), -1, EINVAL);

	/* Keys of the socket */
	CHECK("ACTIVE_KEY default", active_key(many, SCTP_FUTURE_ASSOC), 0, 0);
	CHECK("ACTIVE_KEY get CURRENT", active_key(many, SCTP_CURRENT_ASSOC), -1, EINVAL);
	CHECK("AUTH_KEY 1", set_key(many, SCTP_FUTURE_ASSOC, 1, "secret", 0), 0, 0);
	CHECK("AUTH_KEY longer than given", set_key(many, SCTP_FUTURE_ASSOC, 2, "secret", 4), -1, EINVAL);
	CHECK("AUTH_KEY empty", set_key(many, SCTP_FUTURE_ASSOC, 3, "", 0), 0, 0);
	CHECK("AUTH_KEY 1 again", set_key(many, SCTP_FUTURE_ASSOC, 1, "secret", 0), 0, 0);
	CHECK("AUTH_KEY CURRENT", set_key(many, SCTP_CURRENT_ASSOC, 4, "x", 0), 0, 0);
	CHECK("AUTH_KEY unknown id", set_key(many, 777, 4, "x", 0), -1, ENOENT);
	len = sizeof(buf);
	memset(buf, 0, sizeof(buf));
	CHECK("AUTH_KEY cannot be read", get(many, SCTP_AUTH_KEY, buf, &len), -1, ENOPROTOOPT);
	CHECK("ACTIVE_KEY missing", key_op(many, SCTP_AUTH_ACTIVE_KEY, SCTP_FUTURE_ASSOC, 9), -1, EINVAL);
	CHECK("ACTIVE_KEY 1", key_op(many, SCTP_AUTH_ACTIVE_KEY, SCTP_FUTURE_ASSOC, 1), 0, 0);
	CHECK("ACTIVE_KEY after", active_key(many, SCTP_FUTURE_ASSOC), 1, 0);
	CHECK("DELETE_KEY active", key_op(many, SCTP_AUTH_DELETE_KEY, SCTP_FUTURE_ASSOC, 1), -1, EINVAL);
	CHECK("DEACTIVATE_KEY active", key_op(many, SCTP_AUTH_DEACTIVATE_KEY, SCTP_FUTURE_ASSOC, 1), -1, EINVAL);
	CHECK("DELETE_KEY missing", key_op(many, SCTP_AUTH_DELETE_KEY, SCTP_FUTURE_ASSOC, 9), -1, EINVAL);
	CHECK("DEACTIVATE_KEY 3", key_op(many, SCTP_AUTH_DEACTIVATE_KEY, SCTP_FUTURE_ASSOC, 3), 0, 0);
	CHECK("DELETE_KEY 3 after deactivation", key_op(many, SCTP_AUTH_DELETE_KEY, SCTP_FUTURE_ASSOC, 3), -1, EINVAL);
	CHECK("DEACTIVATE_KEY missing", key_op(many, SCTP_AUTH_DEACTIVATE_KEY, SCTP_FUTURE_ASSOC, 9), -1, EINVAL);
	CHECK("ACTIVE_KEY 0", key_op(many, SCTP_AUTH_ACTIVE_KEY, SCTP_FUTURE_ASSOC, 0), 0, 0);
	CHECK("DELETE_KEY 0 while active", key_op(many, SCTP_AUTH_DELETE_KEY, SCTP_FUTURE_ASSOC, 0), -1, EINVAL);
	/* Key 4 went to the current associations (none), not to the socket's settings. */
	CHECK("DELETE_KEY 4", key_op(many, SCTP_AUTH_DELETE_KEY, SCTP_FUTURE_ASSOC, 4), -1, EINVAL);
	(void)got;
	usrsctp_close(many);
	usrsctp_close(one);
}

/* A server requiring DATA to be authenticated, a client using shared keys 1 and 2. */
static void authenticated_association(void)
{
	struct socket *srv = listen_on(5001);
	struct socket *cl = new_socket(SOCK_STREAM);
	sctp_assoc_t id;

	CHECK("server AUTH_CHUNK DATA", auth_chunk(srv, 0x00), 0, 0);
	CHECK("server key 1", set_key(srv, SCTP_FUTURE_ASSOC, 1, "first shared key", 0), 0, 0);
	CHECK("server key 2", set_key(srv, SCTP_FUTURE_ASSOC, 2, "second shared key", 0), 0, 0);
	subscribe(cl);
	CHECK("client key 1", set_key(cl, 0, 1, "first shared key", 0), 0, 0);
	CHECK("client key 2", set_key(cl, 0, 2, "second shared key", 0), 0, 0);
	CHECK("client active key 1", key_op(cl, SCTP_AUTH_ACTIVE_KEY, 0, 1), 0, 0);
	connect_client(cl, 5001);
	link_wait_quiet(100, 3000);
	CHECK_READ("client sees COMM_UP with AUTH and ASCONF, no NO_AUTH", cl, "assoc:1+auth+asconf");
	CHECK("client AUTH_SUPPORTED on the association", get_av(cl, SCTP_AUTH_SUPPORTED, 0), 1, 0);
	CHECK("client AUTH_SUPPORTED set on the association", set_av(cl, SCTP_AUTH_SUPPORTED, 0, 0), -1, EINVAL);
	CHECK("client ASCONF_SUPPORTED on the association", get_av(cl, SCTP_ASCONF_SUPPORTED, 0), 1, 0);
	CHECK_LIST("client PEER_AUTH_CHUNKS", cl, SCTP_PEER_AUTH_CHUNKS, 0, "3: 00 80 c1");
	CHECK_LIST("client LOCAL_AUTH_CHUNKS", cl, SCTP_LOCAL_AUTH_CHUNKS, 0, "2: 80 c1");
	CHECK("client ACTIVE_KEY", active_key(cl, 0), 1, 0);

	send_text(cl, "one");
	CHECK_READ("server: COMM_UP, NEW_KEY 1, data", srv, "assoc:1+auth+asconf auth:1/0/1 data:one");
	id = only_association(srv);
	CHECK_LIST("server PEER_AUTH_CHUNKS", srv, SCTP_PEER_AUTH_CHUNKS, id, "2: 80 c1");
	CHECK_LIST("server LOCAL_AUTH_CHUNKS", srv, SCTP_LOCAL_AUTH_CHUNKS, id, "3: 00 80 c1");

	CHECK("client switches to key 2", key_op(cl, SCTP_AUTH_ACTIVE_KEY, 0, 2), 0, 0);
	send_text(cl, "two");
	CHECK_READ("server: NEW_KEY 2 (was 1), data", srv, "auth:2/1/1 data:two");

	CHECK("client DEACTIVATE_KEY 1", key_op(cl, SCTP_AUTH_DEACTIVATE_KEY, 0, 1), 0, 0);
	CHECK_READ("client: FREE_KEY 1", cl, "auth:1/0/3");
	CHECK("client DELETE_KEY 1", key_op(cl, SCTP_AUTH_DELETE_KEY, 0, 1), 0, 0);
	CHECK("client DELETE_KEY 2 (active)", key_op(cl, SCTP_AUTH_DELETE_KEY, 0, 2), -1, EINVAL);
	CHECK("client DELETE_KEY 1 again", key_op(cl, SCTP_AUTH_DELETE_KEY, 0, 1), -1, EINVAL);
	CHECK("client ACTIVE_KEY 1 (deleted)", key_op(cl, SCTP_AUTH_ACTIVE_KEY, 0, 1), -1, EINVAL);

	/* The server forgets key 2: what the client signs with it no longer gets through. */
	CHECK("server DELETE_KEY 2", key_op(srv, SCTP_AUTH_DELETE_KEY, id, 2), 0, 0);
	send_text(cl, "three");
	CHECK_READ("server: nothing with a key it does not have", srv, "");
	/* The server learns key 2 again, with other bytes: still nothing. */
	CHECK("server key 2 (other bytes)", set_key(srv, id, 2, "not the same", 0), 0, 0);
	CHECK_READ("server: nothing with a mismatched key", srv, "");
	/* And with the right bytes, the retransmission arrives. */
	CHECK("server key 2 (right bytes)", set_key(srv, id, 2, "second shared key", 0), 0, 0);
	link_wait_quiet(2500, 8000);
	CHECK_READ("server: the retransmitted message", srv, "data:three");
	usrsctp_close(cl);
	usrsctp_close(srv);
	link_wait_quiet(100, 3000);
}

/* A peer without AUTH: SCTP_AUTH_NO_AUTH after COMM_UP. */
static void peer_without_auth(void)
{
	struct socket *srv = listen_on(5002);
	struct socket *cl = new_socket(SOCK_STREAM);
	sctp_assoc_t id;

	CHECK("client ASCONF_SUPPORTED off", set_av(cl, SCTP_ASCONF_SUPPORTED, 0, 0), 0, 0);
	CHECK("client AUTH_SUPPORTED off", set_av(cl, SCTP_AUTH_SUPPORTED, 0, 0), 0, 0);
	connect_client(cl, 5002);
	send_text(cl, "plain");
	CHECK_READ("server: COMM_UP, NO_AUTH, data", srv, "assoc:1 auth:0/0/2 data:plain");
	id = only_association(srv);
	CHECK("server AUTH_SUPPORTED on the association", get_av(srv, SCTP_AUTH_SUPPORTED, id), 0, 0);
	CHECK("server ASCONF_SUPPORTED on the association", get_av(srv, SCTP_ASCONF_SUPPORTED, id), 0, 0);
	CHECK_LIST("server PEER_AUTH_CHUNKS", srv, SCTP_PEER_AUTH_CHUNKS, id, "0:");
	usrsctp_close(cl);
	usrsctp_close(srv);
	link_wait_quiet(100, 3000);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	usrsctp_init(0, link_output, NULL);
	link_join(&end_a, &end_b);
	link_start();
	socket_options();
	authenticated_association();
	peer_without_auth();
	link_stop();
	link_unjoin(&end_a, &end_b);
	if (link_finish(10000) != 0)
		printf("note: usrsctp_finish did not return 0\n");
	return check_summary();
}
