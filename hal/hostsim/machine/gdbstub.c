/* SPDX-License-Identifier: BSD-2-Clause */
/* A gdb remote-serial-protocol stub for the emulated EL0: gdb-multiarch attaches over TCP to the
 * AArch64 user program while the kernel stays host code (which host gdb may debug at the same
 * time). One thread as gdb sees it: whichever emulated thread is running when it stops.
 *
 * - Registers in gdb's AArch64 order (target description "aarch64": x0-x30, sp, pc, cpsr, then
 *   v0-v31, fpsr, fpcr), read and written in the engine while the thread is stopped.
 * - Memory through the running thread's VSpace (the shadow MMU's walk): user-accessible RAM pages
 *   only; a write to an executable page drops the engine's translated code there.
 * - Software breakpoints (Z0/z0: the stub compares the PC before each instruction, the program's
 *   bytes are never changed), single step (the next user instruction of any emulated thread: a
 *   svc's step ends after the kernel, possibly in another thread), continue.
 * - Stops: the first user instruction, breakpoints, steps, and every fault or exception before the
 *   kernel handles it (SIGSEGV for an abort, SIGILL for an undefined instruction, SIGTRAP else).
 * When the machine stops, gdb gets "W00" and the connection is closed. Not supported: Ctrl-C while
 * the program runs, watchpoints, several threads. */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <hostsim/emu.h>

#include "gdbstub.h"
#include "user_internal.h"

#define MAX_BREAKPOINTS 64
#define PACKET_MAX 4096
#define N_CORE_REGS 34 /* x0-x30, sp, pc, cpsr */
#define N_REGS 68      /* + v0-v31, fpsr, fpcr */

bool gdbstub_active;

static struct {
    int listen_fd, fd;
    uint64_t breakpoints[MAX_BREAKPOINTS];
    int n_breakpoints;
    bool stepping;
    /* While stopped: the engine and its VSpace. */
    uc_engine *uc;
    paddr_t root;
    uint64_t pc;
} gdb = {.listen_fd = -1, .fd = -1};

/* The target description gdb asks for (qXfer:features:read:target.xml): AArch64's core and FP
 * register features with the names gdb requires, in its order. */
static const char target_xml[] =
    "<?xml version=\"1.0\"?><!DOCTYPE target SYSTEM \"gdb-target.dtd\">"
    "<target version=\"1.0\"><architecture>aarch64</architecture>"
    "<feature name=\"org.gnu.gdb.aarch64.core\">"
    "<reg name=\"x0\" bitsize=\"64\"/><reg name=\"x1\" bitsize=\"64\"/>"
    "<reg name=\"x2\" bitsize=\"64\"/><reg name=\"x3\" bitsize=\"64\"/>"
    "<reg name=\"x4\" bitsize=\"64\"/><reg name=\"x5\" bitsize=\"64\"/>"
    "<reg name=\"x6\" bitsize=\"64\"/><reg name=\"x7\" bitsize=\"64\"/>"
    "<reg name=\"x8\" bitsize=\"64\"/><reg name=\"x9\" bitsize=\"64\"/>"
    "<reg name=\"x10\" bitsize=\"64\"/><reg name=\"x11\" bitsize=\"64\"/>"
    "<reg name=\"x12\" bitsize=\"64\"/><reg name=\"x13\" bitsize=\"64\"/>"
    "<reg name=\"x14\" bitsize=\"64\"/><reg name=\"x15\" bitsize=\"64\"/>"
    "<reg name=\"x16\" bitsize=\"64\"/><reg name=\"x17\" bitsize=\"64\"/>"
    "<reg name=\"x18\" bitsize=\"64\"/><reg name=\"x19\" bitsize=\"64\"/>"
    "<reg name=\"x20\" bitsize=\"64\"/><reg name=\"x21\" bitsize=\"64\"/>"
    "<reg name=\"x22\" bitsize=\"64\"/><reg name=\"x23\" bitsize=\"64\"/>"
    "<reg name=\"x24\" bitsize=\"64\"/><reg name=\"x25\" bitsize=\"64\"/>"
    "<reg name=\"x26\" bitsize=\"64\"/><reg name=\"x27\" bitsize=\"64\"/>"
    "<reg name=\"x28\" bitsize=\"64\"/><reg name=\"x29\" bitsize=\"64\"/>"
    "<reg name=\"x30\" bitsize=\"64\"/>"
    "<reg name=\"sp\" bitsize=\"64\" type=\"data_ptr\"/>"
    "<reg name=\"pc\" bitsize=\"64\" type=\"code_ptr\"/>"
    "<reg name=\"cpsr\" bitsize=\"32\"/>"
    "</feature><feature name=\"org.gnu.gdb.aarch64.fpu\">"
    "<vector id=\"v2u\" type=\"uint64\" count=\"2\"/>"
    "<reg name=\"v0\" bitsize=\"128\" type=\"v2u\"/><reg name=\"v1\" bitsize=\"128\" type=\"v2u\"/>"
    "<reg name=\"v2\" bitsize=\"128\" type=\"v2u\"/><reg name=\"v3\" bitsize=\"128\" type=\"v2u\"/>"
    "<reg name=\"v4\" bitsize=\"128\" type=\"v2u\"/><reg name=\"v5\" bitsize=\"128\" type=\"v2u\"/>"
    "<reg name=\"v6\" bitsize=\"128\" type=\"v2u\"/><reg name=\"v7\" bitsize=\"128\" type=\"v2u\"/>"
    "<reg name=\"v8\" bitsize=\"128\" type=\"v2u\"/><reg name=\"v9\" bitsize=\"128\" type=\"v2u\"/>"
    "<reg name=\"v10\" bitsize=\"128\" type=\"v2u\"/><reg name=\"v11\" bitsize=\"128\" "
    "type=\"v2u\"/>"
    "<reg name=\"v12\" bitsize=\"128\" type=\"v2u\"/><reg name=\"v13\" bitsize=\"128\" "
    "type=\"v2u\"/>"
    "<reg name=\"v14\" bitsize=\"128\" type=\"v2u\"/><reg name=\"v15\" bitsize=\"128\" "
    "type=\"v2u\"/>"
    "<reg name=\"v16\" bitsize=\"128\" type=\"v2u\"/><reg name=\"v17\" bitsize=\"128\" "
    "type=\"v2u\"/>"
    "<reg name=\"v18\" bitsize=\"128\" type=\"v2u\"/><reg name=\"v19\" bitsize=\"128\" "
    "type=\"v2u\"/>"
    "<reg name=\"v20\" bitsize=\"128\" type=\"v2u\"/><reg name=\"v21\" bitsize=\"128\" "
    "type=\"v2u\"/>"
    "<reg name=\"v22\" bitsize=\"128\" type=\"v2u\"/><reg name=\"v23\" bitsize=\"128\" "
    "type=\"v2u\"/>"
    "<reg name=\"v24\" bitsize=\"128\" type=\"v2u\"/><reg name=\"v25\" bitsize=\"128\" "
    "type=\"v2u\"/>"
    "<reg name=\"v26\" bitsize=\"128\" type=\"v2u\"/><reg name=\"v27\" bitsize=\"128\" "
    "type=\"v2u\"/>"
    "<reg name=\"v28\" bitsize=\"128\" type=\"v2u\"/><reg name=\"v29\" bitsize=\"128\" "
    "type=\"v2u\"/>"
    "<reg name=\"v30\" bitsize=\"128\" type=\"v2u\"/><reg name=\"v31\" bitsize=\"128\" "
    "type=\"v2u\"/>"
    "<reg name=\"fpsr\" bitsize=\"32\"/><reg name=\"fpcr\" bitsize=\"32\"/>"
    "</feature></target>";

/* --- the connection --- */

static void drop_connection(void)
{
    if (gdb.fd >= 0) {
        close(gdb.fd);
    }
    gdb.fd = -1;
    gdbstub_active = false;
    gdb.n_breakpoints = 0;
    gdb.stepping = false;
}

/* One byte from gdb; -1 when it has gone. */
static int get_byte(void)
{
    unsigned char c;
    ssize_t n;
    do {
        n = read(gdb.fd, &c, 1);
    } while (n < 0 && errno == EINTR);
    return n == 1 ? c : -1;
}

static bool put_bytes(const char *p, size_t n)
{
    while (n > 0) {
        ssize_t w = write(gdb.fd, p, n);
        if (w < 0 && errno == EINTR) {
            continue;
        }
        if (w <= 0) {
            return false;
        }
        p += w;
        n -= (size_t)w;
    }
    return true;
}

/* Send "$data#checksum" and wait for gdb's '+' (a '-' asks for it again). */
static bool send_packet(const char *data)
{
    size_t n = strlen(data);
    unsigned sum = 0;
    for (size_t i = 0; i < n; i++) {
        sum += (unsigned char)data[i];
    }
    char tail[4];
    snprintf(tail, sizeof(tail), "#%02x", sum & 0xff);
    for (;;) {
        if (!put_bytes("$", 1) || !put_bytes(data, n) || !put_bytes(tail, 3)) {
            return false;
        }
        int c = get_byte();
        if (c == '+') {
            return true;
        }
        if (c != '-') {
            return false;
        }
    }
}

static int hex_value(int c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

/* Receive one packet into buf (NUL-terminated) and acknowledge it; false when gdb has gone. */
static bool get_packet(char *buf, size_t size)
{
    for (;;) {
        int c;
        while ((c = get_byte()) != '$') {
            if (c < 0) {
                return false;
            }
        }
        size_t n = 0;
        unsigned sum = 0;
        while ((c = get_byte()) >= 0 && c != '#') {
            if (n + 1 < size) {
                buf[n++] = (char)c;
            }
            sum += (unsigned)c;
        }
        int h = get_byte(), l = get_byte();
        if (c < 0 || h < 0 || l < 0) {
            return false;
        }
        buf[n] = '\0';
        if (hex_value(h) >= 0 && hex_value(l) >= 0 &&
            (unsigned)(hex_value(h) << 4 | hex_value(l)) == (sum & 0xff)) {
            return put_bytes("+", 1);
        }
        if (!put_bytes("-", 1)) {
            return false;
        }
    }
}

/* --- registers --- */

static int core_reg_id(int n)
{
    if (n <= 28) {
        return UC_ARM64_REG_X0 + n;
    }
    static const int ids[] = {UC_ARM64_REG_X29, UC_ARM64_REG_X30, UC_ARM64_REG_SP, UC_ARM64_REG_PC,
                              UC_ARM64_REG_NZCV};
    return ids[n - 29];
}

static void put_hex_le(char *out, const void *value, size_t bytes)
{
    const unsigned char *p = value;
    for (size_t i = 0; i < bytes; i++) {
        sprintf(out + 2 * i, "%02x", p[i]);
    }
}

static bool get_hex_le(const char *in, void *value, size_t bytes)
{
    unsigned char *p = value;
    for (size_t i = 0; i < bytes; i++) {
        int h = hex_value(in[2 * i]), l = h < 0 ? -1 : hex_value(in[2 * i + 1]);
        if (l < 0) {
            return false;
        }
        p[i] = (unsigned char)(h << 4 | l);
    }
    return true;
}

static size_t reg_size(int n) { return n < 31 + 2 ? 8 : n == 33 ? 4 : n < 66 ? 16 : 4; }

/* Register n (gdb's number) as little-endian hex into out; false if there is no such register. */
static bool reg_read(int n, char *out)
{
    uint8_t value[16] = {0};
    if (n < 0 || n >= N_REGS) {
        return false;
    }
    if (n == 32) {
        memcpy(value, &gdb.pc, 8); /* the stopped instruction's address */
    } else if (n < N_CORE_REGS) {
        uint64_t v = 0;
        uc_reg_read(gdb.uc, core_reg_id(n), &v);
        memcpy(value, &v, 8);
    } else if (n < 66) {
        uc_reg_read(gdb.uc, UC_ARM64_REG_Q0 + (n - N_CORE_REGS), value);
    } else {
        uint32_t v = 0;
        uc_reg_read(gdb.uc, n == 66 ? UC_ARM64_REG_FPSR : UC_ARM64_REG_FPCR, &v);
        memcpy(value, &v, 4);
    }
    put_hex_le(out, value, reg_size(n));
    return true;
}

static bool reg_write(int n, const char *hex)
{
    uint8_t value[16] = {0};
    if (n < 0 || n >= N_REGS || !get_hex_le(hex, value, reg_size(n))) {
        return false;
    }
    if (n < N_CORE_REGS) {
        uint64_t v = 0;
        memcpy(&v, value, reg_size(n));
        if (n == 32) {
            gdb.pc = v; /* the engine resumes there (Unicorn restarts at a PC written in a hook) */
        }
        return uc_reg_write(gdb.uc, core_reg_id(n), &v) == UC_ERR_OK;
    }
    if (n < 66) {
        return uc_reg_write(gdb.uc, UC_ARM64_REG_Q0 + (n - N_CORE_REGS), value) == UC_ERR_OK;
    }
    uint32_t v;
    memcpy(&v, value, 4);
    return uc_reg_write(gdb.uc, n == 66 ? UC_ARM64_REG_FPSR : UC_ARM64_REG_FPCR, &v) == UC_ERR_OK;
}

/* --- memory --- */

/* The host address of user virtual address va in the stopped thread's VSpace, if a user may read
 * it (write: and write it) and RAM is behind it; *exec says whether the page is executable. */
static uint8_t *user_byte(uint64_t va, bool write, bool *exec)
{
    struct walk w;
    shadow_walk(gdb.root, va, &w);
    if (!w.mapped || w.rights == WALK_KERNEL_ONLY || (write && w.rights != WALK_READ_WRITE) ||
        !hostsim_is_ram(w.page_pa, 4096)) {
        return NULL;
    }
    *exec = !w.xn;
    return (uint8_t *)hal_ptov(w.page_pa) + (va & 4095);
}

static void mem_read(uint64_t va, size_t len, char *out)
{
    size_t i;
    for (i = 0; i < len; i++) {
        bool exec;
        const uint8_t *p = user_byte(va + i, false, &exec);
        if (p == NULL) {
            break;
        }
        sprintf(out + 2 * i, "%02x", *p);
    }
    if (i == 0) {
        strcpy(out, "E14"); /* EFAULT */
    }
}

static bool mem_write(uint64_t va, size_t len, const char *hex)
{
    for (size_t i = 0; i < len; i++) {
        bool exec;
        uint8_t *p = user_byte(va + i, true, &exec);
        int h = hex_value(hex[2 * i]), l = h < 0 ? -1 : hex_value(hex[2 * i + 1]);
        if (p == NULL || l < 0) {
            return false;
        }
        *p = (uint8_t)(h << 4 | l);
        if (exec) {
            uc_ctl_remove_cache(gdb.uc, (va + i) & ~4095ull, ((va + i) & ~4095ull) + 4096);
        }
    }
    return true;
}

/* --- breakpoints --- */

static bool breakpoint_set(uint64_t addr, bool insert)
{
    for (int i = 0; i < gdb.n_breakpoints; i++) {
        if (gdb.breakpoints[i] == addr) {
            if (!insert) {
                gdb.breakpoints[i] = gdb.breakpoints[--gdb.n_breakpoints];
            }
            return true;
        }
    }
    if (!insert) {
        return true;
    }
    if (gdb.n_breakpoints == MAX_BREAKPOINTS) {
        return false;
    }
    gdb.breakpoints[gdb.n_breakpoints++] = addr;
    return true;
}

bool gdbstub_wants_stop(uint64_t pc)
{
    if (gdb.stepping) {
        return true;
    }
    for (int i = 0; i < gdb.n_breakpoints; i++) {
        if (gdb.breakpoints[i] == pc) {
            return true;
        }
    }
    return false;
}

/* --- the protocol --- */

/* qXfer:features:read:target.xml:OFFSET,LENGTH */
static void reply_xfer(const char *args, char *reply)
{
    unsigned long off = 0, len = 0;
    if (sscanf(args, "%lx,%lx", &off, &len) != 2) {
        strcpy(reply, "E01");
        return;
    }
    size_t total = sizeof(target_xml) - 1;
    if (len > PACKET_MAX - 2) {
        len = PACKET_MAX - 2;
    }
    if (off >= total) {
        strcpy(reply, "l");
        return;
    }
    size_t n = total - off < len ? total - off : len;
    reply[0] = off + n >= total ? 'l' : 'm';
    memcpy(reply + 1, target_xml + off, n);
    reply[1 + n] = '\0';
}

/* Serve packets until gdb continues or steps (true), or goes away (false). */
static bool serve(void)
{
    static char packet[PACKET_MAX], reply[2 * PACKET_MAX + 8];
    for (;;) {
        if (!get_packet(packet, sizeof(packet))) {
            return false;
        }
        reply[0] = '\0';
        unsigned long addr = 0, len = 0;
        int n = 0, used = 0;
        switch (packet[0]) {
        case '?':
            strcpy(reply, "S05");
            break;
        case 'g':
            for (int r = 0; r < N_REGS; r++) {
                reg_read(r, reply + strlen(reply));
            }
            break;
        case 'G': {
            const char *p = packet + 1;
            for (int r = 0; r < N_REGS && strlen(p) >= 2 * reg_size(r); r++) {
                reg_write(r, p);
                p += 2 * reg_size(r);
            }
            strcpy(reply, "OK");
            break;
        }
        case 'p':
            if (sscanf(packet + 1, "%x", &n) != 1 || !reg_read(n, reply)) {
                strcpy(reply, "E01");
            }
            break;
        case 'P':
            if (sscanf(packet + 1, "%x=%n", &n, &used) != 1 || used == 0 ||
                !reg_write(n, packet + 1 + used)) {
                strcpy(reply, "E01");
            } else {
                strcpy(reply, "OK");
            }
            break;
        case 'm':
            if (sscanf(packet + 1, "%lx,%lx", &addr, &len) != 2) {
                strcpy(reply, "E01");
            } else {
                mem_read(addr, len < PACKET_MAX ? len : PACKET_MAX, reply);
            }
            break;
        case 'M':
            if (sscanf(packet + 1, "%lx,%lx:%n", &addr, &len, &used) != 2 || used == 0 ||
                strlen(packet + 1 + used) < 2 * len) {
                strcpy(reply, "E01");
            } else {
                strcpy(reply, mem_write(addr, len, packet + 1 + used) ? "OK" : "E14");
            }
            break;
        case 'Z':
        case 'z':
            /* Software (0) and hardware (1) breakpoints are the same thing here. */
            if ((packet[1] == '0' || packet[1] == '1') && sscanf(packet + 2, ",%lx", &addr) == 1) {
                strcpy(reply, breakpoint_set(addr, packet[0] == 'Z') ? "OK" : "E28");
            }
            break;
        case 'c':
            gdb.stepping = false;
            return true;
        case 's':
            gdb.stepping = true;
            return true;
        case 'H':
        case 'T':
            strcpy(reply, "OK");
            break;
        case 'D':
            send_packet("OK");
            drop_connection();
            return false;
        case 'k':
            drop_connection();
            fprintf(stderr, "hostsim: gdb killed the program\n");
            exit(0);
        case 'q':
            if (strncmp(packet, "qSupported", 10) == 0) {
                snprintf(reply, sizeof(reply), "PacketSize=%x;qXfer:features:read+", PACKET_MAX);
            } else if (strncmp(packet, "qXfer:features:read:target.xml:", 31) == 0) {
                reply_xfer(packet + 31, reply);
            } else if (strcmp(packet, "qAttached") == 0) {
                strcpy(reply, "1");
            } else if (strcmp(packet, "qC") == 0) {
                strcpy(reply, "QC1");
            } else if (strcmp(packet, "qfThreadInfo") == 0) {
                strcpy(reply, "m1");
            } else if (strcmp(packet, "qsThreadInfo") == 0) {
                strcpy(reply, "l");
            }
            break;
        default: /* unsupported: the empty reply */
            break;
        }
        if (!send_packet(reply)) {
            return false;
        }
    }
}

void gdbstub_stop(uc_engine *uc, paddr_t root, uint64_t pc, int signal)
{
    if (!gdbstub_active) {
        return;
    }
    gdb.uc = uc;
    gdb.root = root;
    gdb.pc = pc;
    gdb.stepping = false;
    char stop[40];
    snprintf(stop, sizeof(stop), "T%02xthread:1;", signal);
    if (!send_packet(stop) || !serve()) {
        if (gdbstub_active) {
            fprintf(stderr, "hostsim: gdb went away; the program runs on\n");
        }
        drop_connection();
    }
    gdb.uc = NULL;
}

/* --- the public side (hostsim/emu.h) --- */

int hostsim_emu_gdb_listen(int port, int *port_out, const char **error)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    int one = 1;
    struct sockaddr_in a = {.sin_family = AF_INET,
                            .sin_port = htons((uint16_t)port),
                            .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t alen = sizeof(a);
    if (fd < 0 || setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one)) != 0 ||
        bind(fd, (struct sockaddr *)&a, sizeof(a)) != 0 || listen(fd, 1) != 0 ||
        getsockname(fd, (struct sockaddr *)&a, &alen) != 0) {
        *error = strerror(errno);
        if (fd >= 0) {
            close(fd);
        }
        return -1;
    }
    gdb.listen_fd = fd;
    *port_out = ntohs(a.sin_port);
    return 0;
}

int hostsim_emu_gdb_accept(const char **error)
{
    int fd;
    do {
        fd = accept(gdb.listen_fd, NULL, NULL);
    } while (fd < 0 && errno == EINTR);
    close(gdb.listen_fd);
    gdb.listen_fd = -1;
    if (fd < 0) {
        *error = strerror(errno);
        return -1;
    }
    int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
    gdb.fd = fd;
    gdbstub_active = true;
    gdb.stepping = true; /* stop before the first user instruction */
    return 0;
}

void hostsim_emu_gdb_exited(int status)
{
    if (gdb.fd >= 0) {
        char packet[8];
        snprintf(packet, sizeof(packet), "W%02x", status & 0xff);
        send_packet(packet);
    }
    drop_connection();
}
