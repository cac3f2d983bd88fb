/* SPDX-License-Identifier: BSD-2-Clause */
/* Root-task start-up on aarch64 (called by crt0.S on the root stack): the TLS block, the IPC buffer
 * pointer from bootinfo (as sel4runtime does, docs/abi.md#root-task-start,
 * #tls-fpu-and-system-registers), then kaal_root_main(). */
#include <kaal/bootinfo.h>
#include <kaal/start.h>
#include <kaal/sys.h>

void kaal_start_root(seL4_BootInfo *bi) __attribute__((noreturn));

/* The TLS image, from the linker script (root.ld): .tdata is copied, .tbss zeroed. */
extern const unsigned char __kaal_tdata_start[], __kaal_tdata_end[];
extern const char __kaal_tbss_size[];

/* The libsel4-named TLS variable the library keeps the IPC buffer pointer in. */
__thread seL4_IPCBuffer *__sel4_ipc_buffer;

/* AArch64 "TLS above TP": TPIDR_EL0 points at a 16-byte thread control block, the TLS image
 * follows it (the linker places every __thread variable at TP + 16 + its offset; root.ld keeps
 * the image's alignment at most 16). */
#define TCB_GAP 16

void kaal_tls_init(void *tls, seL4_IPCBuffer *ipc_buffer)
{
    unsigned char *block = tls;
    seL4_Word tdata = (seL4_Word)(__kaal_tdata_end - __kaal_tdata_start);
    seL4_Word tbss = (seL4_Word)(uintptr_t)__kaal_tbss_size;
    for (seL4_Word i = 0; i < TCB_GAP; i++) {
        block[i] = 0;
    }
    for (seL4_Word i = 0; i < tdata; i++) {
        block[TCB_GAP + i] = __kaal_tdata_start[i];
    }
    for (seL4_Word i = 0; i < tbss; i++) {
        block[TCB_GAP + tdata + i] = 0;
    }
    kaal_arch_set_tls_base((seL4_Word)(uintptr_t)block);
    sys_set_ipc_buffer(ipc_buffer);
}

static _Alignas(16) unsigned char root_tls[KAAL_TLS_BLOCK_SIZE];

void kaal_start_root(seL4_BootInfo *bi)
{
    kaal_tls_init(root_tls, bi->ipcBuffer);
    kaal_set_bootinfo(bi);
    kaal_set_root_user_mode(1);
    int status = kaal_root_main(bi);
    kaal_set_root_status(status);
    /* Done: stop this thread. With nothing else runnable the kernel powers the machine off. */
    sys_tcb_suspend(seL4_CapInitThreadTCB);
    sys_debug_halt();
    for (;;) {
    }
}
