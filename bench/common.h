/*
 * Shared helpers of the benchmark programs: clocks, process counters, result lines, an in-memory
 * AF_CONN link between two endpoints of one process, and the two ends of a UDP-encapsulated
 * association on loopback.
 *
 * Every program prints its measurements as lines of the form
 *
 *     RESULT <name> <value> <unit>
 *
 * which scripts/bench collects. Anything else on stdout or stderr is commentary.
 */
#ifndef BENCH_COMMON_H
#define BENCH_COMMON_H

#include <stddef.h>
#include <stdint.h>
#include <pthread.h>
#include <sys/types.h>

#include <usrsctp.h>

/* SCTP port of the listening socket and the UDP ports of the two stacks (UDP encapsulation). */
#define BENCH_SCTP_PORT 5001
#define BENCH_UDP_PORT_SERVER 9899
#define BENCH_UDP_PORT_CLIENT 9900

/* SO_SNDBUF and SO_RCVBUF of every socket that carries data: the size WebRTC stacks use. */
#define BENCH_SOCKET_BUFFER (1024 * 1024)

/* Monotonic clock in seconds and in nanoseconds. */
double now_s(void);
uint64_t now_ns(void);
void sleep_s(double seconds);

/* One result line, flushed at once so that a later hang or crash cannot lose it. */
void result(const char *name, double value, const char *unit);

/* Prints a message with errno's text and exits with status 2. */
void die(const char *what);

/* Resident set size (VmRSS) of the process in KiB. */
long rss_kib(void);
/* Bytes in use in malloc's heap (mallinfo2: arena plus mmapped blocks). */
size_t heap_bytes(void);
/* User plus system CPU time of the whole process, in seconds. */
double cpu_s(void);
/*
 * Voluntary context switches summed over every thread of the process: each is a thread going to
 * sleep, so each is followed by one wake-up. Involuntary switches (preemption by other load on
 * the machine) are left out: they measure the machine, not the library.
 */
long wakeups(void);
/* Number of threads of the process. */
int thread_count(void);

/* Sets SO_SNDBUF and SO_RCVBUF (bytes); exits on failure. */
void set_buffers(struct socket *s, int bytes);
/* Sets SCTP_NODELAY; exits on failure. */
void set_nodelay(struct socket *s);

/*
 * The in-memory link. Each end has an address (the sconn_addr the library sees) and an inbox.
 * conn_output(addr = end E) means E sent the packet: it is copied into the other end's inbox and
 * the inbox's own thread hands it to usrsctp_conninput(other end, ...). conn_output never calls
 * into the library, so the library may call it with any of its locks held.
 */
struct link_end;

struct conn_link {
	struct link_end *client;
	struct link_end *server;
};

/* The conn_output callback to give usrsctp_init. */
int link_conn_output(void *addr, void *buffer, size_t length, uint8_t tos, uint8_t set_df);
/* Creates both ends, starts their threads and registers both addresses with the library. */
void link_start(struct conn_link *link);
/* Stops the threads and deregisters the addresses. */
void link_stop(struct conn_link *link);
/* Packets dropped because an inbox was full (there is no other loss on the link). */
unsigned long link_drops(void);

/* An AF_CONN address on one end of the link (port in host order, 0 for any). */
void conn_address(struct sockaddr_conn *sconn, struct link_end *end, uint16_t port);

/*
 * A connected pair of one-to-one (SOCK_STREAM) sockets over the link: a listener on the server
 * end accepts the client's connection, then is closed. Both sockets get `buffer` bytes of
 * SO_SNDBUF and SO_RCVBUF (0 leaves the defaults).
 */
void conn_pair(struct conn_link *link, int buffer, struct socket **client, struct socket **server);

/*
 * UDP encapsulation on 127.0.0.1. The server process calls usrsctp_init(BENCH_UDP_PORT_SERVER),
 * listens on 127.0.0.1:BENCH_SCTP_PORT, writes one byte to ready_fd and accepts. The client
 * process waits for that byte, calls usrsctp_init(BENCH_UDP_PORT_CLIENT), sets
 * SCTP_REMOTE_UDP_ENCAPS_PORT to the server's UDP port and connects.
 */
struct socket *udp_server_accept(int ready_fd, int buffer);
struct socket *udp_client_connect(int ready_fd, int buffer);

/*
 * Closes the given sockets (NULL entries are skipped) and calls usrsctp_finish until it succeeds,
 * for at most `seconds`. Returns 0 when the stack finished, -1 when it did not.
 */
int close_and_finish(struct socket **sockets, int count, double seconds);

/* Sends one whole message of `length` bytes on stream 0; returns what usrsctp_sendv returns. */
ssize_t send_message(struct socket *s, const void *data, size_t length);
/* Receives into `buffer`; *eor tells whether the read ended a message. Returns what usrsctp_recvv returns. */
ssize_t receive(struct socket *s, void *buffer, size_t length, int *eor);

/* pthread_timedjoin_np within `seconds`; returns 0 when the thread was joined. */
int join_within(pthread_t thread, double seconds);
/* Waits for a child process at most `seconds`, then kills it. Returns its exit status, 128 + the
 * signal that ended it, or -1 when it had to be killed. */
int wait_child(pid_t pid, double seconds);
/*
 * The end of a two-process run: waits for the other process (`who`, for the message) to exit
 * with 0, then closes `s` and finishes the stack. Exits with status 4 when either fails.
 */
void end_two_process_run(pid_t pid, const char *who, struct socket **s);

#endif
