/* Links against the installed library and makes a few calls that need no network. */
#include <stdio.h>
#include <string.h>

#include <usrsctp.h>

int main(void)
{
	char data[] = "123456789";
	uint32_t crc;

	usrsctp_init(0, NULL, NULL);
	crc = usrsctp_crc32c(data, strlen(data));
	if (usrsctp_finish() != 0) {
		fprintf(stderr, "usrsctp_finish failed\n");
		return 1;
	}
	if (crc != 0xe3069283u) {
		fprintf(stderr, "crc32c = 0x%08x, expected 0xe3069283\n", (unsigned)crc);
		return 1;
	}
	printf("ok (C)\n");
	return 0;
}
