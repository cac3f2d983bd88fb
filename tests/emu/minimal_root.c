/* SPDX-License-Identifier: BSD-2-Clause */
/* A root task written from seL4's AArch64 ABI facts alone (no KaaL header, no library), built with
 * `aarch64-linux-gnu-gcc -nostdlib -static`: it prints with seL4_DebugPutChar, reads its bootinfo,
 * retypes a notification out of an untyped, provokes three retype errors, mints a badged copy,
 * signals and polls it, checking every answer, then suspends itself. Run by kaal-sim --elf
 * (docs/hostsim.md); -DWRONG_BADGE expects a wrong badge, so one check must fail (the test proves
 * with it that a failing check is seen). */

/* System call numbers (x7). */
#define SYS_CALL (-1L)
#define SYS_SEND (-3L)
#define SYS_NB_RECV (-8L)
#define SYS_DEBUG_PUT_CHAR (-9L)
#define SYS_DEBUG_CAP_IDENTIFY (-12L)

/* Initial caps, invocation labels, object types, error codes, DebugCapIdentify tags. */
#define CAP_INIT_THREAD_TCB 1UL
#define CAP_INIT_THREAD_CNODE 2UL
#define LABEL_UNTYPED_RETYPE 1UL
#define LABEL_TCB_SUSPEND 11UL
#define LABEL_CNODE_MINT 21UL
#define OBJ_NOTIFICATION 3UL
#define OBJ_TYPE_COUNT 10UL
#define ERR_NONE 0UL
#define ERR_INVALID_ARGUMENT 1UL
#define ERR_RANGE 4UL
#define ERR_DELETE_FIRST 8UL
#define TAG_UNTYPED 2UL
#define TAG_NOTIFICATION 6UL
#define RIGHTS_ALL 0xfUL
#define RETYPE_MAX_OBJECTS 256UL

/* seL4_MessageInfo: label << 12 | capsUnwrapped << 9 | extraCaps << 7 | length. */
#define MSG_INFO(label, extra_caps, length) (((label) << 12) | ((extra_caps) << 7) | (length))
#define MSG_LABEL(info) ((info) >> 12)

/* seL4_BootInfo byte offsets; seL4_UntypedDesc is 16 bytes (paddr, sizeBits, isDevice). */
#define BI_IPC_BUFFER 32
#define BI_EMPTY_START 40
#define BI_UNTYPED_START 152
#define BI_UNTYPED_END 160
#define BI_UNTYPED_LIST 168
/* The IPC buffer: MR i at byte 8 + 8i, caps_or_badges[0] at byte 976. */
#define IPC_MR(i) (8 + 8 * (i))
#define IPC_CAP0 976

#define BARE_ROOT_NAME "minimal root task"
#include "bare_root.h" /* the svc, printing, checks and the start: no ABI number */

/* Untyped_Retype(untyped, root = the root CNode, node_index 0, node_depth 0, offset, num): the
 * reply's registers. MR4 and MR5 and the extra cap travel in the IPC buffer. */
static struct regs retype(unsigned long ipc, unsigned long untyped, unsigned long type,
                          unsigned long offset, unsigned long num)
{
    set_word(ipc + IPC_MR(4), offset);
    set_word(ipc + IPC_MR(5), num);
    set_word(ipc + IPC_CAP0, CAP_INIT_THREAD_CNODE);
    struct regs r = {{untyped, MSG_INFO(LABEL_UNTYPED_RETYPE, 1, 6), type, 0, 0, 0}};
    syscall(SYS_CALL, &r);
    return r;
}

void root_main(unsigned long bootinfo)
{
    puts_("minimal root task: hello from AArch64 EL0\n");
    unsigned long ipc = word_at(bootinfo + BI_IPC_BUFFER);
    unsigned long slot = word_at(bootinfo + BI_EMPTY_START);
    unsigned long first = word_at(bootinfo + BI_UNTYPED_START);
    unsigned long end = word_at(bootinfo + BI_UNTYPED_END);

    /* The first RAM untyped of at least a page. */
    unsigned long untyped = 0;
    for (unsigned long i = 0; i < end - first && untyped == 0; i++) {
        const unsigned char *desc = (const unsigned char *)(bootinfo + BI_UNTYPED_LIST + 16 * i);
        if (desc[9] == 0 && desc[8] >= 12) {
            untyped = first + i;
        }
    }
    check("a RAM untyped in the bootinfo", untyped != 0, 1);
    check("DebugCapIdentify(untyped)", cap_identify(untyped), TAG_UNTYPED);

    struct regs r = retype(ipc, untyped, OBJ_NOTIFICATION, slot, 1);
    check("Retype a notification", MSG_LABEL(r.x[1]), ERR_NONE);
    check("DebugCapIdentify(new notification)", cap_identify(slot), TAG_NOTIFICATION);
    r = retype(ipc, untyped, OBJ_NOTIFICATION, slot, 1);
    check("Retype into a full slot", MSG_LABEL(r.x[1]), ERR_DELETE_FIRST);
    r = retype(ipc, untyped, OBJ_TYPE_COUNT, slot + 1, 1);
    check("Retype an unknown type", MSG_LABEL(r.x[1]), ERR_INVALID_ARGUMENT);
    check("  the bad argument", r.x[2], 0);
    r = retype(ipc, untyped, OBJ_NOTIFICATION, slot + 1, 0);
    check("Retype zero objects", MSG_LABEL(r.x[1]), ERR_RANGE);
    check("  the range's minimum", r.x[2], 1);
    check("  the range's maximum", r.x[3], RETYPE_MAX_OBJECTS);

    /* CNode_Mint(root CNode, dest slot + 1, depth 64, src = root CNode, slot, 64, all, 0x5a). */
    set_word(ipc + IPC_MR(4), RIGHTS_ALL);
    set_word(ipc + IPC_MR(5), 0x5a);
    set_word(ipc + IPC_CAP0, CAP_INIT_THREAD_CNODE);
    r = (struct regs){
        {CAP_INIT_THREAD_CNODE, MSG_INFO(LABEL_CNODE_MINT, 1, 6), slot + 1, 64, slot, 64}};
    syscall(SYS_CALL, &r);
    check("Mint a badged notification cap", MSG_LABEL(r.x[1]), ERR_NONE);

    /* Signal the badged cap, then poll the notification: its word is the badge, once. */
    r = (struct regs){{slot + 1}};
    syscall(SYS_SEND, &r);
    r = (struct regs){{slot}};
    syscall(SYS_NB_RECV, &r);
#ifdef WRONG_BADGE
    check("Poll after the Signal: the badge", r.x[0], 0x5b);
#else
    check("Poll after the Signal: the badge", r.x[0], 0x5a);
#endif
    r = (struct regs){{slot}};
    syscall(SYS_NB_RECV, &r);
    check("Poll again: nothing pending", r.x[0], 0);

    finish(CAP_INIT_THREAD_TCB, LABEL_TCB_SUSPEND);
}
