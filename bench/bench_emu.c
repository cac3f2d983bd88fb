/* SPDX-License-Identifier: BSD-2-Clause */
/* Benchmark of hostsim's emulated EL0 (a Meson benchmark(), not a test), in CPU time (the machine
 * may be shared), each the best of several runs of a fresh machine: per null system call
 * (seL4_Yield from AArch64 code: trap out of the engine, the kernel, registers back in), per
 * emulated instruction, per Call/ReplyRecv round trip between two threads of one address space,
 * and per refill (a store to a page the VSpace maps but the engine does not have yet); beside
 * them the null system call of a host-code thread (hostsim_user_trap).
 *
 *   bench_emu DTB YIELD_ELF SPIN_ELF CALL_ELF TOUCH_ELF */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include <hostsim/emu.h>
#include <hostsim/hostsim.h>
#include <hostsim/user.h>
#include <kaal/abi/abi.h>

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
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
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
        delta->refills = b.refills - a.refills;
        if (t < best) {
            best = t;
        }
    }
    hostsim_shutdown();
    free(elf);
    return best;
}

/* A host-code root thread: HOST_ROUNDS seL4_Yield through the host trap, then it suspends. */
#define HOST_ROUNDS 200000
static void host_root(seL4_BootInfo *bi)
{
    (void)bi;
    for (int i = 0; i < HOST_ROUNDS; i++) {
        uint64_t regs[8] = {[7] = (uint64_t)seL4_SysYield};
        hostsim_user_trap(regs);
    }
    uint64_t regs[8] = {seL4_CapInitThreadTCB,
                        (uint64_t)TCBSuspend << 12, [7] = (uint64_t)seL4_SysCall};
    hostsim_user_trap(regs);
}

static double best_host_run(const char *dtb_path)
{
    double best = 1e30;
    for (int r = 0; r < RUNS; r++) {
        const char *error;
        if (hostsim_boot_file(dtb_path, &error) != 0) {
            fprintf(stderr, "bench_emu: %s\n", error);
            exit(1);
        }
        hostsim_console_quiet(true);
        double t0 = now();
        enum hostsim_run_status st = hostsim_run_root(host_root);
        double t = now() - t0;
        hostsim_console_quiet(false);
        if (st != HOSTSIM_RUN_DONE) {
            fprintf(stderr, "bench_emu: the host-code root did not finish (run status %d)\n",
                    (int)st);
            exit(1);
        }
        if (t < best) {
            best = t;
        }
    }
    hostsim_shutdown();
    return best;
}

int main(int argc, char **argv)
{
    if (argc != 6) {
        fprintf(stderr, "usage: bench_emu DTB YIELD_ELF SPIN_ELF CALL_ELF TOUCH_ELF\n");
        return 2;
    }
    size_t dtb_size;
    void *dtb = slurp(argv[1], &dtb_size);
    hostsim_emu_set_tick(0); /* no timer: nothing but the measured work */
    struct hostsim_emu_stats y, s, c, t;
    double ty = best_run(dtb, dtb_size, argv[2], &y);
    double ts = best_run(dtb, dtb_size, argv[3], &s);
    double tc = best_run(dtb, dtb_size, argv[4], &c);
    double tt = best_run(dtb, dtb_size, argv[5], &t);
    struct hostsim_emu_stats t1;
    hostsim_emu_set_refill_run(1);
    double tt1 = best_run(dtb, dtb_size, argv[5], &t1);
    hostsim_emu_set_refill_run(32);
    double th = best_host_run(argv[1]);
    double ns_insn = ts * 1e9 / s.instructions;
    printf("emulated EL0 (CPU time, best of %d runs each):\n", RUNS);
    printf("  null system call (seL4_Yield round trip): %.0f ns (%llu calls in %.3f s)\n",
           ty * 1e9 / y.syscalls, (unsigned long long)y.syscalls, ty);
    printf("  emulated instruction: %.2f ns (%llu instructions in %.3f s)\n", ns_insn,
           (unsigned long long)s.instructions, ts);
    printf("  Call + ReplyRecv round trip, one address space: %.0f ns (%llu calls in %.3f s)\n",
           tc * 2e9 / c.syscalls, (unsigned long long)c.syscalls / 2, tc);
    printf("  refill (first store to a mapped page), up to 32 contiguous pages each: %.0f ns per "
           "refill, %.0f ns per page (%llu refills for 2048 pages in %.3f s, instructions "
           "deducted)\n",
           (tt * 1e9 - ns_insn * (double)t.instructions) / (double)t.refills,
           (tt * 1e9 - ns_insn * (double)t.instructions) / 2048.0, (unsigned long long)t.refills,
           tt);
    printf("  refill, one page each (--refill-run 1): %.0f ns (%llu refills in %.3f s)\n",
           (tt1 * 1e9 - ns_insn * (double)t1.instructions) / (double)t1.refills,
           (unsigned long long)t1.refills, tt1);
    printf("host-code threads (CPU time, best of %d runs):\n", RUNS);
    printf("  null system call (seL4_Yield through hostsim_user_trap): %.0f ns (%d calls in "
           "%.3f s)\n",
           th * 1e9 / HOST_ROUNDS, HOST_ROUNDS, th);
    printf("  (Call/ReplyRecv between puppet threads: benchmark 'hostsim')\n");
    free(dtb);
    return 0;
}
