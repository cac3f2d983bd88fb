/* SPDX-License-Identifier: BSD-2-Clause */
/* The demo shell: a line editor and a few commands, all its input and output through the PL011
 * driver's endpoint (kaal/shell.h). State lives on its stack: on aarch64 its code is the root
 * task's image, mapped read-only. */
#include <kaal/dddk.h>
#include <kaal/gen_config.h>
#include <kaal/pl011.h>
#include <kaal/shell.h>
#include <kaal/sys.h>

#define LINE_MAX 128
#define OUT_MAX 96

struct shell {
    const struct kaal_component_args *args;
    seL4_CPtr uart, root;
    seL4_Word out_len;
    char out[OUT_MAX];
    long in_len, in_pos; /* input received but not yet consumed */
    int after_cr;        /* the last byte was '\r': a '\n' right after it ends no line */
    char in[PL011_MAX_BYTES];
};

/* --- output, buffered into driver requests --- */

static void sh_flush(struct shell *s)
{
    if (s->out_len) {
        pl011_write(s->uart, s->out, s->out_len);
        s->out_len = 0;
    }
}

static void sh_putc(struct shell *s, char c)
{
    if (s->out_len == OUT_MAX) {
        sh_flush(s);
    }
    s->out[s->out_len++] = c;
}

static void sh_puts(struct shell *s, const char *str)
{
    for (; *str; str++) {
        if (*str == '\n') {
            sh_putc(s, '\r');
        }
        sh_putc(s, *str);
    }
}

static void sh_dec(struct shell *s, seL4_Word v)
{
    char buf[24];
    int n = 0;
    do {
        buf[n++] = (char)('0' + v % 10);
        v /= 10;
    } while (v);
    while (n) {
        sh_putc(s, buf[--n]);
    }
}

static void sh_hex(struct shell *s, seL4_Word v)
{
    sh_puts(s, "0x");
    int started = 0;
    for (int shift = 60; shift >= 0; shift -= 4) {
        unsigned d = (v >> shift) & 0xf;
        if (d || started || shift == 0) {
            sh_putc(s, "0123456789abcdef"[d]);
            started = 1;
        }
    }
}

/* --- commands --- */

static int str_eq(const char *a, const char *b)
{
    while (*a && *a == *b) {
        a++;
        b++;
    }
    return *a == *b;
}

static const char *cap_name(seL4_Word tag)
{
    switch (tag) {
    case KAAL_CAP_TAG_FRAME:
        return "frame";
    case KAAL_CAP_TAG_UNTYPED:
        return "untyped";
    case KAAL_CAP_TAG_PAGE_TABLE:
        return "page table";
    case KAAL_CAP_TAG_ENDPOINT:
        return "endpoint";
    case KAAL_CAP_TAG_NOTIFICATION:
        return "notification";
    case KAAL_CAP_TAG_REPLY:
        return "reply";
    case KAAL_CAP_TAG_VSPACE:
        return "vspace";
    case KAAL_CAP_TAG_CNODE:
        return "cnode";
    case KAAL_CAP_TAG_ASID_CONTROL:
        return "asid control";
    case KAAL_CAP_TAG_THREAD:
        return "tcb";
    case KAAL_CAP_TAG_ASID_POOL:
        return "asid pool";
    case KAAL_CAP_TAG_IRQ_CONTROL:
        return "irq control";
    case KAAL_CAP_TAG_IRQ_HANDLER:
        return "irq handler";
    case KAAL_CAP_TAG_ZOMBIE:
        return "zombie";
    case KAAL_CAP_TAG_DOMAIN:
        return "domain";
    default:
        return "other";
    }
}

static void cmd_caps(struct shell *s)
{
    sh_puts(s, "CSpace of '");
    sh_puts(s, s->args->name);
    sh_puts(s, "' (");
    sh_dec(s, 1ul << KAAL_COMPONENT_CNODE_BITS);
    sh_puts(s, " slots):\n");
    for (seL4_Word slot = 0; slot < (1ul << KAAL_COMPONENT_CNODE_BITS); slot++) {
        seL4_Word tag = sys_debug_cap_identify(slot);
        if (tag == KAAL_CAP_TAG_NULL) {
            continue;
        }
        sh_puts(s, "  slot ");
        sh_dec(s, slot);
        sh_puts(s, ": ");
        sh_puts(s, cap_name(tag));
        const char *what = slot == KAAL_COMPONENT_CNODE      ? "this CNode"
                           : slot == KAAL_COMPONENT_TCB      ? "own thread"
                           : slot == KAAL_COMPONENT_VSPACE   ? "own address space"
                           : slot == KAAL_COMPONENT_FAULT_EP ? "fault handler"
                                                             : 0;
        for (seL4_Word i = 0; what == 0 && i < s->args->n_caps; i++) {
            if (s->args->caps[i].slot == slot) {
                what = s->args->caps[i].name;
            }
        }
        if (what) {
            sh_puts(s, " (");
            sh_puts(s, what);
            sh_puts(s, ")");
        }
        sh_puts(s, "\n");
    }
}

/* ticks of a hz counter in nanoseconds (no overflow for any count below 2^64 / 10^9 * hz) */
static seL4_Word ticks_to_ns(seL4_Word ticks, seL4_Word hz)
{
    return ticks / hz * 1000000000ul + ticks % hz * 1000000000ul / hz;
}

static void cmd_ipcbench(struct shell *s)
{
    const seL4_Word rounds = 5, per_round = 2000;
    seL4_Word hz = dddk_counter_hz();
    sh_puts(s, "ipcbench: Call/Reply round trips with the UART driver (another address space)\n");
    if (hz == 0) {
        sh_puts(s, "  (no user-readable time counter in this build: -Dexport_vcnt_user=false)\n");
    }
    sh_flush(s);
    for (seL4_Word r = 0; r < rounds; r++) {
        seL4_Word c0 = dddk_cycles(), t0 = dddk_counter();
        for (seL4_Word i = 0; i < per_round; i++) {
            pl011_ping(s->uart);
        }
        seL4_Word t1 = dddk_counter(), c1 = dddk_cycles();
        sh_puts(s, "  round ");
        sh_dec(s, r + 1);
        sh_puts(s, ": ");
        sh_dec(s, per_round);
        sh_puts(s, " round trips");
        if (hz != 0) {
            /* microseconds per round trip, two decimals */
            seL4_Word ns = ticks_to_ns(t1 - t0, hz) / per_round;
            sh_puts(s, ", ");
            sh_dec(s, ns / 1000);
            sh_puts(s, ".");
            sh_putc(s, (char)('0' + ns / 100 % 10));
            sh_putc(s, (char)('0' + ns / 10 % 10));
            sh_puts(s, " µs each");
        }
        if (dddk_has_cycles()) {
            sh_puts(s, ", ");
            sh_dec(s, (c1 - c0) / per_round);
            sh_puts(s, " cycles each");
        }
        sh_puts(s, "\n");
        sh_flush(s); /* live: each round as it completes */
    }
}

static void cmd_fault(struct shell *s)
{
    sh_puts(s, "fault: asking the root task to start 'faulty', which reads a bad pointer...\n");
    sh_flush(s);
    seL4_MessageInfo_t info = sys_call(s->root, seL4_MessageInfo_new(ROOT_FAULT, 0, 0, 0));
    if (seL4_MessageInfo_get_label(info) != 0) {
        sh_puts(s, "fault: the root task could not start it\n");
        return;
    }
    seL4_Word ip = sys_get_mr(0), addr = sys_get_mr(1), instr = sys_get_mr(2), fsr = sys_get_mr(3);
    seL4_Word type = sys_get_mr(4);
    if (type != seL4_Fault_VMFault) {
        sh_puts(s, "fault: 'faulty' stopped with fault type ");
        sh_dec(s, type);
        sh_puts(s, "\n");
        return;
    }
    seL4_Word fsc = fsr & 0x3f;
    sh_puts(s, "fault handler: component 'faulty' took a VM fault: ");
    sh_puts(s, instr                ? "an instruction fetch"
               : (fsr & (1ul << 6)) ? "a data write"
                                    : "a data read");
    sh_puts(s, " at address ");
    sh_hex(s, addr);
    sh_puts(s, " (pc ");
    sh_hex(s, ip);
    sh_puts(s, "): ");
    if ((fsc & 0x3c) == 0x04) {
        sh_puts(s, "translation fault at level ");
        sh_dec(s, fsc & 3);
        sh_puts(s, ", nothing is mapped there");
    } else if ((fsc & 0x3c) == 0x0c) {
        sh_puts(s, "permission fault at level ");
        sh_dec(s, fsc & 3);
    } else {
        sh_puts(s, "fault status ");
        sh_hex(s, fsc);
    }
    sh_puts(s, ".\nfault handler: 'faulty' was stopped; the system continues.\n");
}

static void run_line(struct shell *s, char *line)
{
    while (*line == ' ') {
        line++;
    }
    char *arg = line;
    while (*arg && *arg != ' ') {
        arg++;
    }
    if (*arg) {
        *arg++ = 0;
        while (*arg == ' ') {
            arg++;
        }
    }
    if (*line == 0) {
        return;
    } else if (str_eq(line, "help")) {
        sh_puts(s, "commands:\n"
                   "  help        this list\n"
                   "  echo TEXT   print TEXT\n"
                   "  caps        this shell's own CSpace, slot by slot\n"
                   "  snapshot    the kernel's dump of every CSpace here (kernel console)\n"
                   "  threads     the kernel's scheduler dump (kernel console)\n"
                   "  ipcbench    live Call/Reply ping-pong figures with the UART driver\n"
                   "  hello N     ask the tutorial's component 'hello' (it answers N + 1)\n"
                   "  fault       start a component that faults; its handler reports it\n"
#ifdef CONFIG_KERNEL_MCS
                   "  budget      each component's budget, period and consumed time\n"
#endif
                   "  exit        stop everything and power off\n");
    } else if (str_eq(line, "echo")) {
        sh_puts(s, arg);
        sh_puts(s, "\n");
    } else if (str_eq(line, "caps")) {
        cmd_caps(s);
    } else if (str_eq(line, "snapshot")) {
        sh_puts(
            s,
            "snapshot: every thread's CSpace and the derivation tree follow on the kernel console\n"
            "          (render them with tools/snapshot2dot.py)\n");
        sh_flush(s);
        sys_debug_snapshot();
    } else if (str_eq(line, "threads")) {
        sh_flush(s);
        sys_debug_dump_scheduler();
    } else if (str_eq(line, "hello")) {
        seL4_Word n = 0;
        for (const char *p = arg; *p >= '0' && *p <= '9'; p++) {
            n = n * 10 + (seL4_Word)(*p - '0');
        }
        sys_set_mr(0, n);
        sys_call(kaal_component_cap(s->args, "hello"), seL4_MessageInfo_new(0, 0, 0, 1));
        sh_puts(s, "hello answered ");
        sh_dec(s, sys_get_mr(0));
        sh_puts(s, "\n");
    } else if (str_eq(line, "ipcbench")) {
        cmd_ipcbench(s);
    } else if (str_eq(line, "fault")) {
        cmd_fault(s);
#ifdef CONFIG_KERNEL_MCS
    } else if (str_eq(line, "budget")) {
        sh_flush(s);
        sys_call(s->root, seL4_MessageInfo_new(ROOT_BUDGET, 0, 0, 0));
#endif
    } else if (str_eq(line, "exit")) {
        sh_puts(s, "bye: powering off\n");
        sh_flush(s);
        sys_call(s->root, seL4_MessageInfo_new(ROOT_EXIT, 0, 0, 0));
    } else {
        sh_puts(s, "unknown command '");
        sh_puts(s, line);
        sh_puts(s, "' (try help)\n");
    }
}

void shell_main(const struct kaal_component_args *args)
{
    struct shell s;
    s.args = args;
    s.uart = kaal_component_cap(args, "uart");
    s.root = kaal_component_cap(args, "root");
    s.out_len = 0;
    s.in_len = s.in_pos = 0;
    s.after_cr = 0;
    sh_puts(&s,
            "\nKaaL demo shell: the shell and the UART driver run in their own address spaces.\n"
            "Type 'help'.\n");
    char line[LINE_MAX];
    for (;;) {
        sh_puts(&s, "kaal> ");
        sh_flush(&s);
        seL4_Word len = 0;
        for (;;) {
            if (s.in_pos == s.in_len) {
                sh_flush(&s);
                s.in_pos = 0;
                s.in_len = pl011_read(s.uart, s.in, sizeof(s.in));
                if (s.in_len < 0) {
                    s.in_len = 0;
                }
                continue;
            }
            char c = s.in[s.in_pos++];
            int cr = s.after_cr;
            s.after_cr = c == '\r';
            if (c == '\n' && cr) {
                continue;
            }
            if (c == '\r' || c == '\n') {
                sh_puts(&s, "\n");
                break;
            } else if ((c == 0x7f || c == 0x08) && len > 0) {
                len--;
                sh_puts(&s, "\b \b");
            } else if (c >= ' ' && c < 0x7f && len + 1 < LINE_MAX) {
                line[len++] = c;
                sh_putc(&s, c);
            }
        }
        line[len] = 0;
        run_line(&s, line);
        sh_flush(&s);
    }
}
