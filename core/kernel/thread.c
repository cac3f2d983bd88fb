/* SPDX-License-Identifier: BSD-2-Clause */
/* Thread state, IPC-buffer lookup, activation, and fault handling of threads. */
#include <kaal/kernel.h>
#include <kaal/printf.h>
#include <kaal/thread.h>

word_t *thread_lookup_ipc_buffer(struct tcb *thread, bool is_receiver)
{
    cap_t buf = thread->ctes[TCB_BUFFER].cap;
    if (cap_get_cap_type(buf) != cap_frame_cap || cap_frame_cap_get_is_device(buf)) {
        return NULL;
    }
    word_t rights = cap_frame_cap_get_vm_rights(buf);
    if (rights != VM_READ_WRITE && (is_receiver || rights != VM_READ_ONLY)) {
        return NULL;
    }
    static const word_t frame_bits[] = {seL4_PageBits, seL4_LargePageBits, seL4_HugePageBits};
    word_t bits = frame_bits[cap_frame_cap_get_size(buf)];
    paddr_t pa = cap_frame_cap_get_base(buf) + (thread->ipc_buffer & MASK(bits) & ~MASK(seL4_IPCBufferSizeBits));
    return PTOV(word_t, pa);
}

void thread_set_state(struct tcb *t, word_t ts_type)
{
    thread_state_ptr_set_ts_type(&t->state, ts_type);
}

void thread_activate(struct tcb *t)
{
    if (thread_state_type(t) == ThreadState_Restart) {
        hal_reg_set(&t->arch, REG_NEXT_IP, hal_reg_get(&t->arch, REG_FAULT_IP));
        thread_set_state(t, ThreadState_Running);
    }
}
