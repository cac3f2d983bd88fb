/* SPDX-License-Identifier: BSD-2-Clause */
/* A root task written from seL4's AArch64 ABI facts alone (no KaaL header, no library), built with
 * `aarch64-linux-gnu-gcc -nostdlib -static`: it prints a line with seL4_DebugPutChar and suspends
 * itself (seL4_TCB_Suspend on seL4_CapInitThreadTCB). Run by kaal-sim --elf (docs/hostsim.md). */

/* System call numbers (x7) and the invocation label the ABI defines. */
#define SYS_CALL (-1L)
#define SYS_DEBUG_PUT_CHAR (-9L)
#define CAP_INIT_THREAD_TCB 1UL
#define LABEL_TCB_SUSPEND 11UL
/* seL4_MessageInfo: label << 12 | capsUnwrapped << 9 | extraCaps << 7 | length. */
#define MSG_INFO(label, length) (((label) << 12) | (length))

static unsigned long syscall2(long number, unsigned long x0, unsigned long x1)
{
    register unsigned long r0 __asm__("x0") = x0;
    register unsigned long r1 __asm__("x1") = x1;
    register long r7 __asm__("x7") = number;
    __asm__ volatile("svc #0"
                     : "+r"(r0), "+r"(r1)
                     : "r"(r7)
                     : "x2", "x3", "x4", "x5", "x6", "memory");
    return r0;
}

void root_main(unsigned long bootinfo);

void root_main(unsigned long bootinfo)
{
    static const char msg[] = "minimal root task: hello from AArch64 EL0\n";
    (void)bootinfo;
    for (const char *p = msg; *p; p++) {
        syscall2(SYS_DEBUG_PUT_CHAR, (unsigned long)(unsigned char)*p, 0);
    }
    syscall2(SYS_CALL, CAP_INIT_THREAD_TCB, MSG_INFO(LABEL_TCB_SUSPEND, 0));
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
