/*
 * The functions whose behaviour arrives with the socket layer answer -1 (or NULL, or 0 for
 * usrsctp_getassocid) with errno EOPNOTSUPP, and never crash, whatever they are given.
 * The list must match tests/unsupported.rs, and shrinks as the stack grows.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <usrsctp.h>

static int passed, failed;

static void expect(int ok, const char *what)
{
	if (ok && errno == EOPNOTSUPP) {
		passed++;
	} else {
		failed++;
		printf("FAIL %s (errno %d)\n", what, errno);
	}
}

#define EXPECT(call, bad) do { errno = 0; expect((call) == (bad), #call); } while (0)
#define EXPECT_VOID(call) do { errno = 0; call; expect(1, #call); } while (0)

int main(void)
{
	struct socket *so = NULL;
	struct sockaddr_in sin;
	struct sockaddr *addrs = NULL;
	socklen_t len = sizeof(sin);
	sctp_assoc_t id = 0;
	char buf[64];
	unsigned int infotype = 0;
	int flags = 0, on = 1;
	void *ulp = NULL;

	usrsctp_init(0, NULL, NULL);
	memset(&sin, 0, sizeof(sin));
	sin.sin_family = AF_INET;

	EXPECT(usrsctp_socket(AF_CONN, SOCK_STREAM, IPPROTO_SCTP, NULL, NULL, 0, NULL), NULL);
	EXPECT(usrsctp_setsockopt(so, IPPROTO_SCTP, SCTP_NODELAY, &on, sizeof(on)), -1);
	EXPECT(usrsctp_getsockopt(so, IPPROTO_SCTP, SCTP_NODELAY, &on, &len), -1);
	EXPECT(usrsctp_opt_info(so, 0, SCTP_STATUS, buf, &len), -1);
	EXPECT(usrsctp_getpaddrs(so, 0, &addrs), -1);
	EXPECT(usrsctp_getladdrs(so, 0, &addrs), -1);
	EXPECT(usrsctp_sendv(so, buf, sizeof(buf), NULL, 0, NULL, 0, SCTP_SENDV_NOINFO, 0), -1);
	EXPECT(usrsctp_recvv(so, buf, sizeof(buf), NULL, NULL, NULL, NULL, &infotype, &flags), -1);
	EXPECT(usrsctp_bind(so, (struct sockaddr *)&sin, sizeof(sin)), -1);
	EXPECT(usrsctp_bindx(so, (struct sockaddr *)&sin, 1, SCTP_BINDX_ADD_ADDR), -1);
	EXPECT(usrsctp_listen(so, 1), -1);
	EXPECT(usrsctp_accept(so, NULL, NULL), NULL);
	EXPECT(usrsctp_peeloff(so, 1), NULL);
	EXPECT(usrsctp_connect(so, (struct sockaddr *)&sin, sizeof(sin)), -1);
	EXPECT(usrsctp_connectx(so, (struct sockaddr *)&sin, 1, &id), -1);
	EXPECT_VOID(usrsctp_close(so));
	EXPECT(usrsctp_getassocid(so, (struct sockaddr *)&sin), 0);
	EXPECT(usrsctp_shutdown(so, SHUT_RDWR), -1);
	EXPECT_VOID(usrsctp_conninput(&sin, buf, sizeof(buf), 0));
	EXPECT(usrsctp_set_non_blocking(so, 1), -1);
	EXPECT(usrsctp_get_non_blocking(so), -1);
	EXPECT(usrsctp_set_ulpinfo(so, NULL), -1);
	EXPECT(usrsctp_get_ulpinfo(so, &ulp), -1);
	EXPECT(usrsctp_set_upcall(so, NULL, NULL), -1);
	EXPECT(usrsctp_get_events(so), -1);

	/* The address lists were never allocated: freeing NULL is fine. */
	usrsctp_freepaddrs(addrs);
	usrsctp_freeladdrs(NULL);
	/* AF_CONN addresses can be registered and deregistered without sockets. */
	usrsctp_register_address(&sin);
	usrsctp_deregister_address(&sin);

	if (usrsctp_finish() != 0) {
		failed++;
		printf("FAIL usrsctp_finish\n");
	}
	printf("%d passed, %d failed\n", passed, failed);
	return failed != 0;
}
