/* SPDX-License-Identifier: BSD-2-Clause */
/* The emulated-EL0 benchmark's root task (bench/bench_emu.c), built with aarch64-linux-gnu-gcc
 * -nostdlib -static from the ABI's numbers alone. One mode per build, then it suspends itself:
 * BENCH_YIELD makes ROUNDS seL4_Yield system calls (a null system call: one kernel entry and exit
 * each); BENCH_SPIN executes 50 * ROUNDS iterations of a two-instruction loop (the engine's
 * instruction rate); BENCH_CALL starts a server thread at its own priority in its address space
 * and makes ROUNDS seL4_Call round trips to it (the server answers each with seL4_ReplyRecv);
 * BENCH_TOUCH stores once to each of TOUCH_PAGES pages of its image (each store a refill: the
 * page is mapped in the VSpace but not yet in the engine). */
#define SYS_CALL (-1L)
#define SYS_REPLY_RECV (-2L)
#define SYS_RECV (-5L)
#define SYS_YIELD (-7L)
#define CAP_INIT_THREAD_TCB 1UL
#define CAP_INIT_THREAD_CNODE 2UL
#define CAP_INIT_THREAD_VSPACE 3UL
#define LABEL_UNTYPED_RETYPE 1UL
#define LABEL_TCB_WRITE_REGISTERS 3UL
#define LABEL_TCB_CONFIGURE 5UL
#define LABEL_TCB_SET_PRIORITY 6UL
#define LABEL_TCB_SUSPEND 11UL
#define OBJ_TCB 1UL
#define OBJ_ENDPOINT 2UL
#define ROUNDS 200000UL
#define TOUCH_PAGES 2048UL
/* seL4_BootInfo byte offsets; the IPC buffer: MR i at byte 8 + 8i, caps_or_badges[] at 976. */
#define BI_IPC_BUFFER 32
#define BI_EMPTY_START 40
#define BI_UNTYPED_START 152
#define BI_UNTYPED_END 160
#define BI_UNTYPED_LIST 168
#define IPC_MR(i) (8 + 8 * (i))
#define IPC_CAP(i) (976 + 8 * (i))
#define MSG_INFO(label, extra_caps, length) (((label) << 12) | ((extra_caps) << 7) | (length))

struct regs {
    unsigned long x[6];
};

static void syscall(long number, struct regs *r)
{
    register unsigned long r0 __asm__("x0") = r->x[0];
    register unsigned long r1 __asm__("x1") = r->x[1];
    register unsigned long r2 __asm__("x2") = r->x[2];
    register unsigned long r3 __asm__("x3") = r->x[3];
    register unsigned long r4 __asm__("x4") = r->x[4];
    register unsigned long r5 __asm__("x5") = r->x[5];
    register long r7 __asm__("x7") = number;
    __asm__ volatile("svc #0"
                     : "+r"(r0), "+r"(r1), "+r"(r2), "+r"(r3), "+r"(r4), "+r"(r5)
                     : "r"(r7)
                     : "x6", "memory");
    r->x[0] = r0, r->x[1] = r1, r->x[2] = r2, r->x[3] = r3, r->x[4] = r4, r->x[5] = r5;
}

static void invoke(unsigned long cap, unsigned long info, unsigned long mr0, unsigned long mr1,
                   unsigned long mr2, unsigned long mr3)
{
    struct regs r = {{cap, info, mr0, mr1, mr2, mr3}};
    syscall(SYS_CALL, &r);
}

#ifdef BENCH_CALL
static unsigned char server_stack[4096] __attribute__((aligned(16)));
static unsigned long server_ep;

static void server(void)
{
    struct regs r = {{server_ep}};
    syscall(SYS_RECV, &r);
    for (;;) {
        r = (struct regs){{server_ep, 0}};
        syscall(SYS_REPLY_RECV, &r);
    }
}

/* Retype one object of type into slot from the first RAM untyped of at least a page. */
static void retype(unsigned long bootinfo, unsigned long type, unsigned long slot)
{
    volatile unsigned long *ipc = *(unsigned long *volatile *)(bootinfo + BI_IPC_BUFFER);
    unsigned long first = *(volatile unsigned long *)(bootinfo + BI_UNTYPED_START);
    unsigned long end = *(volatile unsigned long *)(bootinfo + BI_UNTYPED_END);
    for (unsigned long i = 0; i < end - first; i++) {
        const volatile unsigned char *d =
            (const volatile unsigned char *)(bootinfo + BI_UNTYPED_LIST + 16 * i);
        if (d[9] == 0 && d[8] >= 16) {
            ipc[IPC_MR(4) / 8] = slot;
            ipc[IPC_MR(5) / 8] = 1;
            ipc[IPC_CAP(0) / 8] = CAP_INIT_THREAD_CNODE;
            invoke(first + i, MSG_INFO(LABEL_UNTYPED_RETYPE, 1, 6), type, 0, 0, 0);
            return;
        }
    }
}

static void start_server(unsigned long bootinfo)
{
    volatile unsigned long *ipc = *(unsigned long *volatile *)(bootinfo + BI_IPC_BUFFER);
    unsigned long slot = *(volatile unsigned long *)(bootinfo + BI_EMPTY_START);
    unsigned long tcb = slot, ep = slot + 1;
    retype(bootinfo, OBJ_TCB, tcb);
    retype(bootinfo, OBJ_ENDPOINT, ep);
    server_ep = ep;
    ipc[IPC_CAP(0) / 8] = CAP_INIT_THREAD_CNODE;
    ipc[IPC_CAP(1) / 8] = CAP_INIT_THREAD_VSPACE;
    ipc[IPC_CAP(2) / 8] = 0;
    invoke(tcb, MSG_INFO(LABEL_TCB_CONFIGURE, 3, 4), 0, 0, 0, 0);
    ipc[IPC_CAP(0) / 8] = CAP_INIT_THREAD_TCB;
    invoke(tcb, MSG_INFO(LABEL_TCB_SET_PRIORITY, 1, 1), 255, 0, 0, 0);
    /* WriteRegisters(resume, count 2: pc, sp) */
    ipc[IPC_MR(4) / 8] = 0;
    invoke(tcb, MSG_INFO(LABEL_TCB_WRITE_REGISTERS, 0, 4), 1, 2, (unsigned long)server,
           (unsigned long)(server_stack + sizeof(server_stack)));
}
#endif

#ifdef BENCH_TOUCH
static unsigned char pages[TOUCH_PAGES * 4096] __attribute__((aligned(4096)));
#endif

void root_main(unsigned long bootinfo);

void root_main(unsigned long bootinfo)
{
    (void)bootinfo;
#if defined(BENCH_YIELD)
    for (unsigned long i = 0; i < ROUNDS; i++) {
        struct regs r = {{0}};
        syscall(SYS_YIELD, &r);
    }
#elif defined(BENCH_CALL)
    start_server(bootinfo);
    for (unsigned long i = 0; i < ROUNDS; i++) {
        struct regs r = {{server_ep, 0}};
        syscall(SYS_CALL, &r);
    }
#elif defined(BENCH_TOUCH)
    for (unsigned long i = 0; i < TOUCH_PAGES; i++) {
        ((volatile unsigned char *)pages)[i * 4096] = 1;
    }
#else
    unsigned long n = 50 * ROUNDS;
    __asm__ volatile("1: subs %0, %0, #1\n b.ne 1b" : "+r"(n));
#endif
    invoke(CAP_INIT_THREAD_TCB, MSG_INFO(LABEL_TCB_SUSPEND, 0, 0), 0, 0, 0, 0);
    for (;;) {
    }
}

/* The kernel enters at _start with x0 = the bootinfo frame and SP_EL0 = 0: give it a stack. */
unsigned char root_stack[4096] __attribute__((aligned(16)));
__asm__(".global _start\n"
        "_start:\n"
        "    adrp x9, root_stack + 4096\n"
        "    add x9, x9, :lo12:root_stack + 4096\n"
        "    mov sp, x9\n"
        "    bl root_main\n"
        "1:  b 1b\n");
