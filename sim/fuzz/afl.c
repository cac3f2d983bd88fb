/* SPDX-License-Identifier: BSD-2-Clause */
/* AFL++ entry point in persistent mode: one process runs many inputs, each on a freshly booted
 * hostsim kernel (the boot is the reset, so no state leaks between inputs). Built with
 * afl-clang-fast it reads inputs from AFL++'s shared memory; built with another compiler it runs
 * the files named on its command line (or stdin) once each, which is how a crash AFL++ found is
 * checked by hand. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "kfuzz.h"

#ifdef __AFL_FUZZ_TESTCASE_LEN
__AFL_FUZZ_INIT();
#endif

static void run(const uint8_t *data, size_t size)
{
    struct kfuzz_result r;
    kfuzz_run(data, size, &r);
}

static size_t read_all(FILE *f, uint8_t *buf, size_t cap) { return fread(buf, 1, cap, f); }

int main(int argc, char **argv)
{
    struct kfuzz_config cfg = {.abort_on_finding = true};
    kfuzz_check_from_env(&cfg);
    const char *error;
    if (kfuzz_init(&cfg, &error) != 0) {
        fprintf(stderr, "%s\n", error);
        return 1;
    }
    static uint8_t buf[1 << 16];
#ifdef __AFL_FUZZ_TESTCASE_LEN
    (void)argc;
    (void)argv;
    (void)read_all;
    __AFL_INIT();
    const uint8_t *data = __AFL_FUZZ_TESTCASE_BUF;
    while (__AFL_LOOP(100000)) {
        size_t len = (size_t)__AFL_FUZZ_TESTCASE_LEN;
        run(data, len < sizeof(buf) ? len : sizeof(buf));
    }
    (void)buf;
#else
    if (argc < 2) {
        run(buf, read_all(stdin, buf, sizeof(buf)));
        return 0;
    }
    for (int i = 1; i < argc; i++) {
        FILE *f = fopen(argv[i], "rb");
        if (f == NULL) {
            perror(argv[i]);
            return 1;
        }
        size_t n = read_all(f, buf, sizeof(buf));
        fclose(f);
        run(buf, n);
    }
#endif
    return 0;
}
