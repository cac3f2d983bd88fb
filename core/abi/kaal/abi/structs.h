/* SPDX-License-Identifier: BSD-2-Clause */
/* In-memory ABI structures shared by kernel and user: IPC buffer, bootinfo, user context
 * (docs/abi.md#ipc-buffer, #boot, #user-context). */
#ifndef KAAL_ABI_STRUCTS_H
#define KAAL_ABI_STRUCTS_H

#include <stddef.h>
#include <stdint.h>

#include "constants.h"
#include <kaal/gen_config.h>

typedef uint64_t seL4_Word;
typedef int64_t seL4_SWord;
typedef seL4_Word seL4_CPtr;
typedef seL4_CPtr seL4_SlotPos;
typedef uint8_t seL4_Uint8;
typedef uint64_t seL4_Uint64;

/* The IPC buffer: 128 words, 1024 bytes, aligned to 1024 (docs/abi.md#ipc-buffer). */
typedef struct seL4_IPCBuffer_ {
    seL4_Word tag;
    seL4_Word msg[seL4_MsgMaxLength];
    seL4_Word userData;
    seL4_Word caps_or_badges[seL4_MsgMaxExtraCaps];
    seL4_CPtr receiveCNode;
    seL4_CPtr receiveIndex;
    seL4_Word receiveDepth;
} __attribute__((aligned(1024))) seL4_IPCBuffer;

_Static_assert(sizeof(seL4_IPCBuffer) == 1024, "IPC buffer is 1024 bytes");
_Static_assert(offsetof(seL4_IPCBuffer, msg) == 8, "msg at 8");
_Static_assert(offsetof(seL4_IPCBuffer, userData) == 968, "userData at 968");
_Static_assert(offsetof(seL4_IPCBuffer, caps_or_badges) == 976, "caps_or_badges at 976");
_Static_assert(offsetof(seL4_IPCBuffer, receiveCNode) == 1000, "receiveCNode at 1000");
_Static_assert(offsetof(seL4_IPCBuffer, receiveIndex) == 1008, "receiveIndex at 1008");
_Static_assert(offsetof(seL4_IPCBuffer, receiveDepth) == 1016, "receiveDepth at 1016");

/* Word indices of the IPC buffer as the kernel sees it. */
#define KAAL_IPCBUF_MSG_WORD(i) (1 + (i))
#define KAAL_IPCBUF_USERDATA_WORD 121
#define KAAL_IPCBUF_CAPS_WORD(i) (122 + (i))
#define KAAL_IPCBUF_RECV_CNODE_WORD 125
#define KAAL_IPCBUF_RECV_INDEX_WORD 126
#define KAAL_IPCBUF_RECV_DEPTH_WORD 127

typedef struct seL4_SlotRegion {
    seL4_SlotPos start; /* first slot in the region */
    seL4_SlotPos end;   /* first slot after the region */
} seL4_SlotRegion;

typedef struct seL4_UntypedDesc {
    seL4_Word paddr;
    seL4_Uint8 sizeBits;
    seL4_Uint8 isDevice;
    seL4_Uint8 padding[sizeof(seL4_Word) - 2 * sizeof(seL4_Uint8)];
} seL4_UntypedDesc;

/* The bootinfo frame (docs/abi.md#bootinfo). The ABI fixes 230 list entries; a smaller configured
 * maximum only limits how many the kernel fills, so the layout never changes. */
#define KAAL_BOOTINFO_UNTYPED_SLOTS 230

typedef struct seL4_BootInfo {
    seL4_Word extraLen;
    seL4_Word nodeID;
    seL4_Word numNodes;
    seL4_Word numIOPTLevels;
    seL4_IPCBuffer *ipcBuffer;
    seL4_SlotRegion empty;
    seL4_SlotRegion sharedFrames;
    seL4_SlotRegion userImageFrames;
    seL4_SlotRegion userImagePaging;
    seL4_SlotRegion ioSpaceCaps;
    seL4_SlotRegion extraBIPages;
    seL4_Word initThreadCNodeSizeBits;
    seL4_Word initThreadDomain;
#ifdef CONFIG_KERNEL_MCS
    seL4_SlotRegion schedcontrol; /* MCS: one SchedControl cap per core (core i at start + i) */
#endif
    seL4_SlotRegion untyped;
    seL4_UntypedDesc untypedList[KAAL_BOOTINFO_UNTYPED_SLOTS];
} __attribute__((aligned(1ul << seL4_PageBits))) seL4_BootInfo;

_Static_assert(sizeof(seL4_UntypedDesc) == 16, "UntypedDesc is 16 bytes");
_Static_assert(offsetof(seL4_BootInfo, ipcBuffer) == 32, "ipcBuffer at 32");
_Static_assert(offsetof(seL4_BootInfo, empty) == 40, "empty at 40");
_Static_assert(offsetof(seL4_BootInfo, sharedFrames) == 56, "sharedFrames at 56");
_Static_assert(offsetof(seL4_BootInfo, userImageFrames) == 72, "userImageFrames at 72");
_Static_assert(offsetof(seL4_BootInfo, userImagePaging) == 88, "userImagePaging at 88");
_Static_assert(offsetof(seL4_BootInfo, ioSpaceCaps) == 104, "ioSpaceCaps at 104");
_Static_assert(offsetof(seL4_BootInfo, extraBIPages) == 120, "extraBIPages at 120");
_Static_assert(offsetof(seL4_BootInfo, initThreadCNodeSizeBits) == 136, "cnode bits at 136");
_Static_assert(offsetof(seL4_BootInfo, initThreadDomain) == 144, "domain at 144");
#ifdef CONFIG_KERNEL_MCS
_Static_assert(offsetof(seL4_BootInfo, schedcontrol) == 152, "schedcontrol at 152");
#define KAAL_BOOTINFO_UNTYPED_OFFSET 168
#define KAAL_BOOTINFO_PAYLOAD_BYTES 3864
#else
#define KAAL_BOOTINFO_UNTYPED_OFFSET 152
#define KAAL_BOOTINFO_PAYLOAD_BYTES 3848
#endif
_Static_assert(offsetof(seL4_BootInfo, untyped) == KAAL_BOOTINFO_UNTYPED_OFFSET, "untyped region");
_Static_assert(offsetof(seL4_BootInfo, untypedList) == KAAL_BOOTINFO_UNTYPED_OFFSET + 16,
               "untypedList follows the untyped region");
_Static_assert(offsetof(seL4_BootInfo, untypedList) + sizeof(((seL4_BootInfo *)0)->untypedList) ==
                   KAAL_BOOTINFO_PAYLOAD_BYTES,
               "struct payload is 3848 bytes (MCS: 3864)");
_Static_assert(sizeof(seL4_BootInfo) == 4096, "bootinfo fills one frame");

typedef struct seL4_BootInfoHeader {
    seL4_Word id;
    seL4_Word len; /* includes this header */
} seL4_BootInfoHeader;
_Static_assert(sizeof(seL4_BootInfoHeader) == 16, "bootinfo header is 16 bytes");

/* Fixed root CNode slots (docs/abi.md#initial-caps). */
enum seL4_RootCNodeCapSlots {
    seL4_CapNull = 0,
    seL4_CapInitThreadTCB = 1,
    seL4_CapInitThreadCNode = 2,
    seL4_CapInitThreadVSpace = 3,
    seL4_CapIRQControl = 4,
    seL4_CapASIDControl = 5,
    seL4_CapInitThreadASIDPool = 6,
    seL4_CapIOPortControl = 7,
    seL4_CapIOSpace = 8,
    seL4_CapBootInfoFrame = 9,
    seL4_CapInitThreadIPCBuffer = 10,
    seL4_CapDomain = 11,
    seL4_CapSMMUSIDControl = 12,
    seL4_CapSMMUCBControl = 13,
    seL4_CapInitThreadSC = 14,
    seL4_CapSMC = 15,
    seL4_NumInitialCaps = 16,
};
#define seL4_CapInitThreadPD seL4_CapInitThreadVSpace

/* seL4_UserContext: the ReadRegisters/WriteRegisters/CopyRegisters order
 * (docs/abi.md#user-context). */
typedef struct seL4_UserContext_ {
    seL4_Word pc, sp, spsr, x0, x1, x2, x3, x4, x5, x6, x7, x8, x16, x17, x18, x29, x30;
    seL4_Word x9, x10, x11, x12, x13, x14, x15, x19, x20, x21, x22, x23, x24, x25, x26, x27, x28;
    seL4_Word tpidr_el0, tpidrro_el0;
} seL4_UserContext;
_Static_assert(sizeof(seL4_UserContext) == 288, "UserContext is 36 words");
_Static_assert(offsetof(seL4_UserContext, x16) == 96, "x16 at 96");
_Static_assert(offsetof(seL4_UserContext, x9) == 136, "x9 at 136");
_Static_assert(offsetof(seL4_UserContext, x19) == 192, "x19 at 192");
_Static_assert(offsetof(seL4_UserContext, tpidr_el0) == 272, "tpidr_el0 at 272");
#define KAAL_USER_CONTEXT_WORDS 36
#define KAAL_USER_CONTEXT_FRAME_WORDS 17
#define KAAL_USER_CONTEXT_GP_WORDS 19

#endif
