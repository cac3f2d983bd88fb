/* SPDX-License-Identifier: BSD-2-Clause */
/* libFuzzer entry point: each input runs as a program on a freshly booted hostsim kernel; a kernel
 * halt or invariant failure prints the input's trace and aborts (libFuzzer saves it as a crash). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kfuzz.h"

int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc;
    (void)argv;
    struct kfuzz_config cfg = {.abort_on_finding = true};
    kfuzz_check_from_env(&cfg);
    const char *error;
    if (kfuzz_init(&cfg, &error) != 0) {
        fprintf(stderr, "%s\n", error);
        exit(1);
    }
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    struct kfuzz_result r;
    kfuzz_run(data, size, &r);
    return 0;
}
