// The header must work from C++ too: extern "C" linkage, no C-only constructs.
#include <cstdint>
#include <cstdio>
#include <cstring>

#include <usrsctp.h>

int main()
{
	char data[] = "123456789";

	usrsctp_init(0, nullptr, nullptr);
	const std::uint32_t crc = usrsctp_crc32c(data, std::strlen(data));
	if (usrsctp_finish() != 0) {
		std::fprintf(stderr, "usrsctp_finish failed\n");
		return 1;
	}
	if (crc != 0xe3069283u) {
		std::fprintf(stderr, "crc32c = 0x%08x, expected 0xe3069283\n", static_cast<unsigned>(crc));
		return 1;
	}
	std::printf("ok (C++)\n");
	return 0;
}
