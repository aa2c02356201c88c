/* debug_printf given to usrsctp_init receives the library's log while sctp_debug_on is set,
 * and nothing while it is 0. */
#define SCTP_DEBUG 1
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <arpa/inet.h>
#include <usrsctp.h>

static int lines;

static void debug_printf(const char *format, ...)
{
	va_list ap;

	va_start(ap, format);
	lines++;
	vfprintf(stderr, format, ap);
	va_end(ap);
}

/* Creates, binds and closes one AF_CONN socket: something worth logging. */
static void some_work(uint16_t port)
{
	struct sockaddr_conn a;
	struct socket *s = usrsctp_socket(AF_CONN, SOCK_STREAM, IPPROTO_SCTP, NULL, NULL, 0, NULL);

	memset(&a, 0, sizeof(a));
	a.sconn_family = AF_CONN;
	a.sconn_port = htons(port);
	usrsctp_bind(s, (struct sockaddr *)&a, sizeof(a));
	usrsctp_close(s);
}

int main(void)
{
	int quiet, loud;

	usrsctp_init(0, NULL, debug_printf);
	usrsctp_sysctl_set_sctp_debug_on(0);
	some_work(5000);
	quiet = lines;
	usrsctp_sysctl_set_sctp_debug_on(SCTP_DEBUG_ALL);
	some_work(5001);
	loud = lines - quiet;
	usrsctp_sysctl_set_sctp_debug_on(0);
	while (usrsctp_finish() != 0)
		;
	printf("lines with debug off: %d, with debug on: %d\n", quiet, loud);
	return quiet == 0 && loud > 0 ? 0 : 1;
}
