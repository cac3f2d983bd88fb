/* SPDX-License-Identifier: BSD-2-Clause */
/* kaal-sim: boot the hostsim kernel from a device tree and run the default root task as its root
 * thread. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <hostsim/hostsim.h>

#include <hostsim/emu.h>

#include "kaal_syscall.h"
#include "kfuzz.h"
#include "run_elf.h"
#include "summary.h"

#ifndef KAAL_SOURCE_ROOT
#error "KAAL_SOURCE_ROOT must name the source tree (it holds the default device tree)"
#endif
#define DEFAULT_DTB KAAL_SOURCE_ROOT "/tests/data/qemu-virt.dtb"

/* Exit statuses besides the root task's own (0 = it passed, 1 = one of its checks failed). */
enum {
    EXIT_USAGE = 2,  /* bad command line */
    EXIT_BOOT = 3,   /* the device tree could not be read or the kernel did not boot */
    EXIT_KERNEL = 4, /* the root thread stopped, or the kernel halted or panicked, while it ran */
};

static enum hostsim_status last_bad_status = HOSTSIM_OK;
static bool trace_syscalls; /* --trace: print every system call the root task makes */

/* The root thread's system call entry on hostsim: one kernel entry as the root thread. */
static int hostsim_syscall(seL4_Word regs[8])
{
    uint64_t r[8];
    for (int i = 0; i < 8; i++) {
        r[i] = regs[i];
    }
    enum hostsim_status st = hostsim_root_syscall(r, NULL);
    if (trace_syscalls) {
        uint64_t in[8];
        for (int i = 0; i < 8; i++) {
            in[i] = regs[i];
        }
        kfuzz_trace_syscall(stderr, in, r, (int)st);
    }
    for (int i = 0; i < 8; i++) {
        regs[i] = r[i];
    }
    if (st != HOSTSIM_OK && last_bad_status == HOSTSIM_OK) {
        last_bad_status = st;
    }
    return st == HOSTSIM_OK ? 0 : -1;
}

static void usage(FILE *out)
{
    fprintf(
        out,
        "usage: kaal-sim [--dtb FILE] [--trace] [--help]\n"
        "       kaal-sim --elf ROOT_TASK.elf | --image LOADER_IMAGE.elf [--dtb FILE] [--mem SIZE]\n"
        "                [--tick N] [--entry-cost N] [--entry-jitter PERCENT] [--gdb PORT] "
        "[--trace]\n"
        "       kaal-sim --replay FILE\n"
        "\n"
        "Boot the KaaL kernel inside this process (the hostsim port) from a device tree and run "
        "the\n"
        "default root task, which prints a summary of its bootinfo, untypeds and initial caps.\n"
        "Kernel and root task output go to the kernel console (stderr).\n"
        "\n"
        "  --dtb FILE   device tree to boot from (default: %s)\n"
        "  --trace      print every system call of the root task, decoded, with its result\n"
        "               (--elf, --image: every kernel entry with the user PC)\n"
        "  --elf FILE   run a statically linked AArch64 root task on the emulated EL0 instead\n"
        "               (placed, booted and started as the aarch64 loader and kernel do)\n"
        "  --image FILE run the root task inside a KaaL loader image (kaal-*-image.elf) so\n"
        "  --mem SIZE   RAM size (bytes, or with K, M or G) written into the device tree\n"
        "  --tick N     timer tick every N emulated instructions (default: QEMU -icount\n"
        "               shift=0's rate; 0: no timer)\n"
        "  --entry-cost N  virtual-clock instructions each kernel entry costs (default %u)\n"
        "  --entry-jitter PERCENT  each entry's cost varies by up to this much either way, by a\n"
        "               fixed-seed sequence, so runs stay identical (default %u; 0: flat)\n"
        "  --refill-run N  pages one emulator refill maps at most (default 32; 1: one)\n"
        "  --gdb PORT   wait for gdb (gdb-multiarch: target remote 127.0.0.1:PORT; 0: any free "
        "port,\n"
        "               printed) and let it debug the AArch64 program from its first\n"
        "               instruction: registers, memory, breakpoints, step, continue\n"
        "  --replay FILE  run one fuzzer input (docs/fuzzing.md) on a fresh kernel and print it\n"
        "               as a trace; exit 1 if the kernel halted or an invariant failed\n"
        "  --help       show this help\n"
        "\n"
        "Exit status: 0 the root task ran and its checks passed; 1 a root task check failed;\n"
        "2 usage error; 3 boot failed; 4 the kernel halted or the root thread stopped.\n"
        "With --elf or --image: 0 the machine stopped by itself (no thread can run again).\n",
        DEFAULT_DTB, HOSTSIM_EMU_ENTRY_COST_DEFAULT, HOSTSIM_EMU_ENTRY_JITTER_DEFAULT);
}

/* --replay: one fuzzer input, traced to stdout. */
static int replay(const char *path)
{
    static uint8_t input[1 << 16];
    FILE *f = fopen(path, "rb");
    if (f == NULL) {
        fprintf(stderr, "kaal-sim: cannot open %s: %s\n", path, strerror(errno));
        return EXIT_USAGE;
    }
    size_t n = fread(input, 1, sizeof(input), f);
    fclose(f);
    struct kfuzz_config cfg = {.check = KFUZZ_CHECK_EVERY_ENTRY, .trace = stdout};
    const char *error;
    if (kfuzz_init(&cfg, &error) != 0) {
        fprintf(stderr, "kaal-sim: %s\n", error);
        return EXIT_BOOT;
    }
    struct kfuzz_result r;
    kfuzz_run(input, n, &r);
    hostsim_shutdown();
    return r.finding ? 1 : 0;
}

/* "64M", "1G", "4096": bytes, or 0 when malformed. */
static uint64_t parse_size(const char *s)
{
    char *end;
    errno = 0;
    unsigned long long v = strtoull(s, &end, 0);
    unsigned shift = *end == 'K' ? 10 : *end == 'M' ? 20 : *end == 'G' ? 30 : 0;
    if (errno != 0 || end == s || (shift != 0 && end[1] != '\0') || (shift == 0 && *end != '\0') ||
        v > (~0ull >> shift)) {
        return 0;
    }
    return (uint64_t)v << shift;
}

int main(int argc, char **argv)
{
    const char *dtb_path = DEFAULT_DTB;
    struct run_elf_options elf = {.gdb_port = -1};
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0) {
            usage(stdout);
            return 0;
        } else if (strcmp(argv[i], "--dtb") == 0 && i + 1 < argc) {
            dtb_path = argv[++i];
        } else if (strcmp(argv[i], "--trace") == 0) {
            trace_syscalls = true;
            elf.trace = true;
        } else if ((strcmp(argv[i], "--elf") == 0 || strcmp(argv[i], "--image") == 0) &&
                   i + 1 < argc) {
            elf.is_image = strcmp(argv[i], "--image") == 0;
            elf.path = argv[++i];
        } else if (strcmp(argv[i], "--mem") == 0 && i + 1 < argc) {
            if ((elf.mem = parse_size(argv[++i])) == 0) {
                fprintf(stderr, "kaal-sim: --mem wants a size such as 512M or 1G, not '%s'\n",
                        argv[i]);
                return EXIT_USAGE;
            }
        } else if ((strcmp(argv[i], "--tick") == 0 || strcmp(argv[i], "--entry-cost") == 0 ||
                    strcmp(argv[i], "--entry-jitter") == 0) &&
                   i + 1 < argc) {
            const char *opt = argv[i];
            bool jitter = strcmp(opt, "--entry-jitter") == 0;
            char *end;
            errno = 0;
            uint64_t n = strtoull(argv[++i], &end, 0);
            if (*end != '\0' || end == argv[i] || errno != 0 || argv[i][0] == '-' ||
                (jitter && n > 100)) {
                fprintf(stderr, "kaal-sim: %s wants %s, not '%s'\n", opt,
                        jitter ? "a percentage from 0 to 100" : "a number of instructions",
                        argv[i]);
                return EXIT_USAGE;
            }
            if (jitter) {
                elf.entry_jitter = (unsigned)n;
                elf.entry_jitter_set = true;
            } else {
                bool tick = strcmp(opt, "--tick") == 0;
                *(tick ? &elf.tick : &elf.entry_cost) = n;
                *(tick ? &elf.tick_set : &elf.entry_cost_set) = true;
            }
        } else if (strcmp(argv[i], "--refill-run") == 0 && i + 1 < argc) {
            char *end;
            errno = 0;
            unsigned long n = strtoul(argv[++i], &end, 10);
            if (*end != '\0' || end == argv[i] || errno != 0 || n < 1 || n > 512) {
                fprintf(stderr,
                        "kaal-sim: --refill-run wants a number of pages from 1 to 512, "
                        "not '%s'\n",
                        argv[i]);
                return EXIT_USAGE;
            }
            elf.refill_run = (unsigned)n;
        } else if (strcmp(argv[i], "--gdb") == 0 && i + 1 < argc) {
            char *end;
            errno = 0;
            long port = strtol(argv[++i], &end, 10);
            if (*end != '\0' || end == argv[i] || errno != 0 || port < 0 || port > 65535) {
                fprintf(stderr, "kaal-sim: --gdb wants a TCP port from 0 to 65535, not '%s'\n",
                        argv[i]);
                return EXIT_USAGE;
            }
            elf.gdb_port = (int)port;
        } else if (strcmp(argv[i], "--replay") == 0 && i + 1 < argc) {
            return replay(argv[i + 1]);
        } else if (strncmp(argv[i], "--dtb=", 6) == 0) {
            dtb_path = argv[i] + 6;
        } else {
            fprintf(stderr, "kaal-sim: unknown argument '%s'\n", argv[i]);
            usage(stderr);
            return EXIT_USAGE;
        }
    }

    FILE *f = fopen(dtb_path, "rb");
    if (f == NULL) {
        fprintf(stderr, "kaal-sim: cannot open device tree %s: %s\n", dtb_path, strerror(errno));
        return EXIT_BOOT;
    }
    size_t cap = 1 << 16, size = 0;
    unsigned char *dtb = malloc(cap);
    size_t got;
    while (dtb != NULL && (got = fread(dtb + size, 1, cap - size, f)) > 0) {
        size += got;
        if (size == cap) {
            unsigned char *bigger = realloc(dtb, cap * 2);
            if (bigger == NULL) {
                free(dtb);
                dtb = NULL;
                break;
            }
            dtb = bigger;
            cap *= 2;
        }
    }
    int read_error = ferror(f);
    fclose(f);
    if (dtb == NULL || read_error) {
        fprintf(stderr, "kaal-sim: cannot read device tree %s\n", dtb_path);
        free(dtb);
        return EXIT_BOOT;
    }

    if ((elf.mem != 0 || elf.tick_set || elf.entry_cost_set || elf.entry_jitter_set ||
         elf.gdb_port >= 0 || elf.refill_run != 0) &&
        elf.path == NULL) {
        fprintf(stderr,
                "kaal-sim: --mem, --tick, --entry-cost, --entry-jitter, --refill-run and --gdb "
                "need --elf or --image\n");
        free(dtb);
        return EXIT_USAGE;
    }
    if (elf.path != NULL) {
        fprintf(stderr,
                "kaal-sim: booting the hostsim kernel from %s with %s on the emulated EL0\n",
                dtb_path, elf.path);
        int st = run_elf(&elf, dtb, size);
        free(dtb);
        return st;
    }
    fprintf(stderr, "kaal-sim: booting the hostsim kernel from %s (%zu bytes)\n", dtb_path, size);
    const char *error = NULL;
    int r = hostsim_boot(dtb, size, &error);
    free(dtb);
    if (r != 0) {
        fprintf(stderr, "kaal-sim: boot failed: %s\n", error ? error : "(no reason given)");
        hostsim_shutdown();
        return EXIT_BOOT;
    }
    seL4_BootInfo *bi = hostsim_bootinfo();
    if (bi == NULL) {
        fprintf(stderr, "kaal-sim: boot reported success but there is no bootinfo frame\n");
        hostsim_shutdown();
        return EXIT_BOOT;
    }

    kaal_syscall_install(hostsim_syscall);
    int status = summary_main(bi);
    fflush(stderr);

    bool panicked = hostsim_panicked();
    hostsim_shutdown();
    if (panicked) {
        fprintf(stderr, "kaal-sim: the kernel panicked while the root task ran\n");
        return EXIT_KERNEL;
    }
    if (last_bad_status != HOSTSIM_OK) {
        fprintf(stderr, "kaal-sim: the root thread %s while it ran\n",
                last_bad_status == HOSTSIM_HALTED ? "found the kernel halted"
                                                  : "stopped (fault without handler)");
        return EXIT_KERNEL;
    }
    fprintf(stderr, "kaal-sim: root task exited with status %d\n", status);
    return status;
}
