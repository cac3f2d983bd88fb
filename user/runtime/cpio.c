/* SPDX-License-Identifier: BSD-2-Clause */
/* newc CPIO archives (kaal/elf_loader.h): headers of "070701" and thirteen 8-digit hex fields,
 * the name, then the data, each padded to 4 bytes; "TRAILER!!!" ends the archive. */
#include <kaal/elf_loader.h>

#define HEADER 110u

static int hex8(const char *p, seL4_Word *out)
{
    seL4_Word v = 0;
    for (int i = 0; i < 8; i++) {
        char c = p[i];
        unsigned d;
        if (c >= '0' && c <= '9') {
            d = (unsigned)(c - '0');
        } else if (c >= 'a' && c <= 'f') {
            d = (unsigned)(c - 'a' + 10);
        } else if (c >= 'A' && c <= 'F') {
            d = (unsigned)(c - 'A' + 10);
        } else {
            return -1;
        }
        v = v << 4 | d;
    }
    *out = v;
    return 0;
}

static seL4_Word pad4(seL4_Word n) { return (n + 3) & ~(seL4_Word)3; }

/* Walk to entry i (or to the one named name when name != NULL). */
static const char *walk(const void *archive, seL4_Word size, const char *name, unsigned index,
                        const void **data, seL4_Word *data_size)
{
    const char *a = archive;
    seL4_Word off = 0;
    for (unsigned i = 0;; i++) {
        seL4_Word fsize, nsize;
        if (off + HEADER > size || a[off] != '0' || a[off + 1] != '7' || a[off + 2] != '0' ||
            a[off + 3] != '7' || a[off + 4] != '0' || a[off + 5] != '1' ||
            hex8(a + off + 54, &fsize) || hex8(a + off + 94, &nsize) || nsize == 0 ||
            off + HEADER + nsize > size || a[off + HEADER + nsize - 1] != 0) {
            return 0;
        }
        const char *entry_name = a + off + HEADER;
        seL4_Word data_off = pad4(off + HEADER + nsize);
        if (data_off + fsize > size || data_off + fsize < data_off) {
            return 0;
        }
        int trailer = 1;
        const char *t = "TRAILER!!!";
        for (int k = 0; k <= 10; k++) {
            if (entry_name[k] != t[k]) {
                trailer = 0;
                break;
            }
        }
        if (trailer) {
            return 0;
        }
        int match = name == 0 ? i == index : 1;
        for (seL4_Word k = 0; name != 0 && match; k++) {
            if (entry_name[k] != name[k]) {
                match = 0;
            } else if (name[k] == 0) {
                break;
            }
        }
        if (match) {
            *data = a + data_off;
            *data_size = fsize;
            return entry_name;
        }
        off = pad4(data_off + fsize);
    }
}

const void *kaal_cpio_find(const void *archive, seL4_Word archive_size, const char *name,
                           seL4_Word *size)
{
    const void *data = 0;
    seL4_Word n = 0;
    if (archive == 0 || walk(archive, archive_size, name, 0, &data, &n) == 0) {
        return 0;
    }
    *size = n;
    return data;
}

const char *kaal_cpio_name(const void *archive, seL4_Word archive_size, unsigned i)
{
    const void *data;
    seL4_Word n;
    return archive ? walk(archive, archive_size, 0, i, &data, &n) : 0;
}
