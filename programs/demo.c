/*
 * A first look at the library from C: start the stack, read a few settings, compute a CRC32c,
 * decode a hand-made packet, stop the stack.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <usrsctp.h>

#ifndef USRSCTP_CRATE_VERSION
#define USRSCTP_CRATE_VERSION "unknown"
#endif
#ifndef USRSCTP_API_VERSION
#define USRSCTP_API_VERSION "unknown"
#endif

/* RFC 9260, section 3.3.12: COOKIE ACK, a chunk with type 11 and no value. */
#define CHUNK_COOKIE_ACK 11

static void put_u16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static void put_u32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

int main(void)
{
	char check[] = "123456789";
	uint8_t packet[16];
	uint32_t crc;
	char *dump;
	int ok = 1;

	printf("usrsctp (Rust) demo: crate %s, libusrsctp API %s\n",
	       USRSCTP_CRATE_VERSION, USRSCTP_API_VERSION);

	usrsctp_init(0, NULL, NULL);

	printf("sctp_sendspace = %u\n", (unsigned)usrsctp_sysctl_get_sctp_sendspace());
	printf("sctp_recvspace = %u\n", (unsigned)usrsctp_sysctl_get_sctp_recvspace());

	crc = usrsctp_crc32c(check, strlen(check));
	printf("crc32c(\"%s\") = 0x%08x (expected 0xe3069283)\n", check, (unsigned)crc);
	if (crc != 0xe3069283u)
		ok = 0;

	/* Common header (RFC 9260, section 3.1) followed by one COOKIE ACK chunk. */
	memset(packet, 0, sizeof(packet));
	put_u16(packet + 0, 5000);        /* source port */
	put_u16(packet + 2, 5001);        /* destination port */
	put_u32(packet + 4, 0x01020304u); /* verification tag */
	packet[12] = CHUNK_COOKIE_ACK;    /* chunk type; flags stay 0 */
	put_u16(packet + 14, 4);          /* chunk length */
	/* The checksum is computed with the field zeroed and sent least significant byte first
	 * (RFC 9260, appendix A). */
	crc = usrsctp_crc32c(packet, sizeof(packet));
	packet[8] = (uint8_t)crc;
	packet[9] = (uint8_t)(crc >> 8);
	packet[10] = (uint8_t)(crc >> 16);
	packet[11] = (uint8_t)(crc >> 24);

	dump = usrsctp_dumppacket(packet, sizeof(packet), SCTP_DUMP_OUTBOUND);
	if (dump != NULL) {
		printf("dumppacket:\n%s", dump);
		usrsctp_freedumpbuffer(dump);
	} else {
		printf("usrsctp_dumppacket returned NULL\n");
		ok = 0;
	}

	if (usrsctp_finish() != 0) {
		printf("usrsctp_finish failed\n");
		ok = 0;
	}
	printf("%s\n", ok ? "ok" : "FAILED");
	return ok ? EXIT_SUCCESS : EXIT_FAILURE;
}
