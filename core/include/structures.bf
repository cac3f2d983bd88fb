# SPDX-License-Identifier: BSD-2-Clause
# Kernel-internal packed words: capabilities, derivation-tree links, endpoint and notification
# queues, thread state. Generated into <kaal/structures_gen.h> by tools/bfgen.py.
# Every object pointer is a *physical address* (48 bits); core converts with PTOV()/VTOP()
# (<kaal/structures.h>, over the port's hal_ptov()/hal_vtop()).
# 'if CONFIG_KERNEL_MCS' parts exist only in the MCS build (-Dmcs=true; tools/bfgen.py -D).
# Cap type tags are the ABI's (<kaal/abi/cap_tags.h>: seL4's AArch64 tags), so DebugCapIdentify
# returns the tag.
include <kaal/abi/cap_tags.h>

# A slot's derivation-tree links (seL4's MDB: a doubly linked list in tree pre-order).
block mdb_node 2
    field next          0 0 48
    field revocable     0 48 1
    field first_badged  0 49 1
    field prev          1 0 48

union cap 2 0 59 5
    variant null_cap KAAL_CAP_TAG_NULL
    variant frame_cap KAAL_CAP_TAG_FRAME
        field base          0 0 48
        field size          0 48 2      # 0 small (4K), 1 large (2M), 2 huge (1G)
        field vm_rights     0 50 2      # 0 none(kernel only), 1 RO, 3 RW (arch frame rights)
        field is_device     0 52 1
        field mapped_asid   1 0 16      # 0: not mapped
        field mapped_vaddr  1 16 48
    variant untyped_cap KAAL_CAP_TAG_UNTYPED
        field ptr           0 0 48
        field block_size    0 48 6
        field is_device     0 54 1
        field free_index    1 0 48      # bytes used from the start, in units of 16 bytes
    variant page_table_cap KAAL_CAP_TAG_PAGE_TABLE
        field ptr           0 0 48
        field is_mapped     0 48 1
        field mapped_asid   1 0 16
        field mapped_vaddr  1 16 48
    variant endpoint_cap KAAL_CAP_TAG_ENDPOINT
        field ptr           0 0 48
        field can_send      0 48 1
        field can_receive   0 49 1
        field can_grant     0 50 1
        field can_grant_reply 0 51 1
        field badge         1 0 64
    variant notification_cap KAAL_CAP_TAG_NOTIFICATION
        field ptr           0 0 48
        field can_send      0 48 1
        field can_receive   0 49 1
        field badge         1 0 64
if CONFIG_KERNEL_MCS
    variant reply_cap KAAL_CAP_TAG_REPLY    # names a reply object (struct reply)
        field ptr           0 0 48
        field can_grant     0 49 1
else
    variant reply_cap KAAL_CAP_TAG_REPLY    # names the thread to answer (master: its own)
        field tcb           0 0 48
        field is_master     0 48 1
        field can_grant     0 49 1
endif
    variant vspace_cap KAAL_CAP_TAG_VSPACE
        field ptr           0 0 48
        field is_mapped     0 48 1      # has an ASID
        field mapped_asid   1 0 16
    variant cnode_cap KAAL_CAP_TAG_CNODE
        field ptr           0 0 48
        field radix         0 48 6
        field guard_size    1 0 6
        field guard         1 6 58
    variant asid_control_cap KAAL_CAP_TAG_ASID_CONTROL
    variant thread_cap KAAL_CAP_TAG_THREAD
        field tcb           0 0 48
    variant asid_pool_cap KAAL_CAP_TAG_ASID_POOL
        field ptr           0 0 48
        field asid_base     1 0 16
    variant irq_control_cap KAAL_CAP_TAG_IRQ_CONTROL
    variant irq_handler_cap KAAL_CAP_TAG_IRQ_HANDLER
        field irq           1 0 64
    variant zombie_cap KAAL_CAP_TAG_ZOMBIE
        field ptr           0 0 48
        field zombie_type   0 48 7      # 0..63: CNode of that radix; 64: TCB
        field number        1 0 64      # slots still to clear
    variant domain_cap KAAL_CAP_TAG_DOMAIN
if CONFIG_KERNEL_MCS
    variant sched_context_cap KAAL_CAP_TAG_SCHED_CONTEXT   # names a struct sched_context
        field ptr           0 0 48
        field size_bits     0 48 6      # the object's size (log2 bytes), >= seL4_MinSchedContextBits
    variant sched_control_cap KAAL_CAP_TAG_SCHED_CONTROL   # authority over one core's time
        field core          1 0 64
endif
    variant sgi_signal_cap KAAL_CAP_TAG_SGI_SIGNAL
        field irq           1 0 8
        field target        1 8 8

# Endpoint object (16 bytes): a queue of blocked threads (TCB physical addresses).
block endpoint 2
    field queue_head    0 0 48
    field state         0 48 2      # 0 idle, 1 send, 2 recv
    field queue_tail    1 0 48

# Notification object (32 bytes; MCS: 64 bytes, the packed words at its start).
if CONFIG_KERNEL_MCS
block notification 5
else
block notification 4
endif
    field bound_tcb     0 0 48
    field msg_identifier 1 0 64
    field queue_head    2 0 48
    field state         2 48 2      # 0 idle, 1 waiting, 2 active
    field queue_tail    3 0 48
if CONFIG_KERNEL_MCS
    field sched_context 4 0 48      # the bound scheduling context (paddr), lent to woken threads
endif

# Thread state word (TCB): what the thread is doing and, when blocked on IPC, on what and how.
block thread_state 2
    field ts_type       0 0 4       # see enum thread_state_type
    field blocking_object 0 4 48    # endpoint/notification paddr when blocked
    field blocking_ipc_can_grant 0 52 1
    field blocking_ipc_can_grant_reply 0 53 1
    field blocking_ipc_is_call 0 54 1
    field blocking_ipc_badge 1 0 64
