/* SPDX-License-Identifier: BSD-2-Clause */
/* Benchmark of hostsim's emulated EL0 (a Meson benchmark(), not a test): wall time per null system
 * call (seL4_Yield from AArch64 code: trap out of the engine, the kernel, registers back in) and
 * per emulated instruction, each the best of several runs of a fresh machine.
 *
 *   bench_emu DTB YIELD_ELF SPIN_ELF */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <hostsim/emu.h>
#include <hostsim/hostsim.h>
#include <hostsim/user.h>

#define RUNS 5

static void *slurp(const char *path, size_t *size)
{
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        fprintf(stderr, "bench_emu: cannot open %s\n", path);
        exit(1);
    }
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    void *p = malloc((size_t)n);
    if (p == NULL || fread(p, 1, (size_t)n, f) != (size_t)n) {
        fprintf(stderr, "bench_emu: cannot read %s\n", path);
        exit(1);
    }
    fclose(f);
    *size = (size_t)n;
    return p;
}

static double now(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec + ts.tv_nsec * 1e-9;
}

/* Best wall time of one run of elf (boot excluded), and its counters. */
static double best_run(const void *dtb, size_t dtb_size, const char *path,
                       struct hostsim_emu_stats *delta)
{
    size_t size;
    void *elf = slurp(path, &size);
    double best = 1e30;
    for (int r = 0; r < RUNS; r++) {
        const char *error;
        if (hostsim_boot_elf(dtb, dtb_size, elf, size, &error) != 0) {
            fprintf(stderr, "bench_emu: %s\n", error);
            exit(1);
        }
        hostsim_console_quiet(true);
        struct hostsim_emu_stats a, b;
        hostsim_emu_stats(&a);
        double t0 = now();
        enum hostsim_run_status st = hostsim_run();
        double t = now() - t0;
        hostsim_emu_stats(&b);
        hostsim_console_quiet(false);
        if (st != HOSTSIM_RUN_DONE) {
            fprintf(stderr, "bench_emu: %s did not finish (run status %d)\n", path, (int)st);
            exit(1);
        }
        delta->instructions = b.instructions - a.instructions;
        delta->syscalls = b.syscalls - a.syscalls;
        if (t < best) {
            best = t;
        }
    }
    hostsim_shutdown();
    free(elf);
    return best;
}

int main(int argc, char **argv)
{
    if (argc != 4) {
        fprintf(stderr, "usage: bench_emu DTB YIELD_ELF SPIN_ELF\n");
        return 2;
    }
    size_t dtb_size;
    void *dtb = slurp(argv[1], &dtb_size);
    hostsim_emu_set_tick(0); /* no timer: nothing but the measured work */
    struct hostsim_emu_stats y, s;
    double ty = best_run(dtb, dtb_size, argv[2], &y);
    double ts = best_run(dtb, dtb_size, argv[3], &s);
    printf("emulated EL0, best of %d runs each:\n", RUNS);
    printf("  null system call (seL4_Yield round trip): %.0f ns (%llu calls in %.3f s)\n",
           ty * 1e9 / y.syscalls, (unsigned long long)y.syscalls, ty);
    printf("  emulated instruction: %.2f ns (%llu instructions in %.3f s)\n",
           ts * 1e9 / s.instructions, (unsigned long long)s.instructions, ts);
    free(dtb);
    return 0;
}
