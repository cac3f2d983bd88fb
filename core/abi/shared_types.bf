# SPDX-License-Identifier: BSD-2-Clause
# Packed ABI words shared by kernel and user library (docs/abi.md#message-info). Generated into
# <kaal/abi/shared_types_gen.h> by tools/bfgen.py. Fields are listed in libsel4's constructor
# argument order, so seL4_MessageInfo_new(label, capsUnwrapped, extraCaps, length) etc. read the same.

block seL4_MessageInfo 1
    field label           0 12 52
    field capsUnwrapped   0 9 3
    field extraCaps       0 7 2
    field length          0 0 7

block seL4_CapRights 1
    field capAllowGrantReply 0 3 1
    field capAllowGrant      0 2 1
    field capAllowRead       0 1 1
    field capAllowWrite      0 0 1

block seL4_CNode_CapData 1
    field guard     0 6 58
    field guardSize 0 0 6
