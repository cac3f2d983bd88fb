/* SPDX-License-Identifier: BSD-2-Clause */
/* The demo system on hostsim (kaal-demo): boot the machine, attach the PL011 model to the terminal
 * (or a pipe), run the root task in user mode, and whenever every thread waits (for input), read
 * more input into the UART and run again. Exit status 0 when the demo powered off (the shell's
 * exit), 1 when input ended first or the run failed, 3 when boot failed. */
#define _GNU_SOURCE
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include <hostsim/hostsim.h>
#include <hostsim/user.h>

#include <kaal/bootinfo.h>
#include <kaal/dddk.h>
#include <kaal/start.h>
#include <kaal/sys.h>

static _Alignas(16) unsigned char root_tls[KAAL_TLS_BLOCK_SIZE];

static void root_entry(seL4_BootInfo *bi)
{
    kaal_tls_init(root_tls, bi->ipcBuffer);
    kaal_set_bootinfo(bi);
    kaal_set_root_user_mode(1);
    kaal_set_root_status(kaal_root_main(bi));
    sys_tcb_suspend(seL4_CapInitThreadTCB); /* as aarch64's start-up does: the run then ends */
}

/* A terminal as a serial line: no line editing or echo by the host (the shell echoes), so each key
 * reaches the UART as it is typed. Ctrl-C still ends the program. */
static struct termios saved_termios;
static int termios_saved;

static void restore_terminal(void)
{
    if (termios_saved) {
        tcsetattr(STDIN_FILENO, TCSANOW, &saved_termios);
    }
}

static void raw_terminal(void)
{
    if (!isatty(STDIN_FILENO) || tcgetattr(STDIN_FILENO, &saved_termios) != 0) {
        return;
    }
    termios_saved = 1;
    atexit(restore_terminal);
    struct termios t = saved_termios;
    t.c_lflag &= ~(tcflag_t)(ICANON | ECHO);
    t.c_cc[VMIN] = 1;
    t.c_cc[VTIME] = 0;
    tcsetattr(STDIN_FILENO, TCSANOW, &t);
}

static seL4_Word host_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (seL4_Word)ts.tv_sec * 1000000000ul + (seL4_Word)ts.tv_nsec;
}

/* Kernel console output of the last run, without the run loop's note that everything waits (which
 * here only means: waiting for input). */
static void print_console(void)
{
    const char *text = hostsim_console_take();
    while (text && *text) {
        const char *end = strchr(text, '\n');
        size_t len = end ? (size_t)(end - text) + 1 : strlen(text);
        if (strncmp(text, "hostsim: deadlock", 17) != 0) {
            fwrite(text, 1, len, stderr);
        }
        text += len;
    }
    fflush(stderr);
}

int main(int argc, char **argv)
{
    const char *dtb = KAAL_HOSTSIM_DEFAULT_DTB;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--dtb") == 0 && i + 1 < argc) {
            dtb = argv[++i];
        } else {
            fprintf(
                stderr,
                "usage: %s [--dtb FILE]\nThe KaaL demo on hostsim: a shell over the PL011 driver; "
                "the UART is this terminal (stdin/stdout). Type 'help'; 'exit' powers off.\n",
                argv[0]);
            return strcmp(argv[i], "--help") == 0 ? 0 : 2;
        }
    }
    const char *error = NULL;
    if (hostsim_boot_file(dtb, &error) != 0) {
        fprintf(stderr, "%s: boot failed: %s\n", argv[0], error ? error : "?");
        return 3;
    }
    setvbuf(stdout, NULL, _IONBF, 0);
    kaal_hostsim_trap = (kaal_hostsim_trap_fn)hostsim_user_trap;
    kaal_hostsim_trap_x8 = (kaal_hostsim_trap_x8_fn)hostsim_user_trap_x8;
    kaal_hostsim_tpidr_el0 = (seL4_Word *)&hostsim_tpidr_el0;
    dddk_hostsim_mmio = (dddk_hostsim_mmio_fn)hostsim_mmio_access;
    dddk_hostsim_clock = host_ns;
    /* QEMU virt's PL011 (the default device tree is QEMU's): SPI 1 = interrupt 33. */
    hostsim_pl011_attach(0x9000000, 33, STDIN_FILENO, STDOUT_FILENO);
    raw_terminal();
    hostsim_console_capture(true);
    enum hostsim_run_status st = hostsim_run_root(root_entry);
    print_console();
    while (st == HOSTSIM_RUN_DEADLOCK) {
        if (hostsim_pl011_wait_input(-1) < 0) {
            fprintf(stderr, "kaal-demo: input ended before the shell's 'exit'\n");
            break;
        }
        st = hostsim_run();
        print_console();
    }
    int status = st == HOSTSIM_RUN_DONE && kaal_root_status() == 0 ? 0 : 1;
    if (st != HOSTSIM_RUN_DONE && st != HOSTSIM_RUN_DEADLOCK) {
        fprintf(stderr, "kaal-demo: the run ended with status %d\n", (int)st);
    }
    hostsim_shutdown();
    return status;
}
