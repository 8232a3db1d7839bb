// SPDX-License-Identifier: MIT
//
// Tests of the ELF64 loader and the initial stack, on images built in a
// buffer by the test: bytes land where the program headers say, the rest
// of a segment reads as zeros, protections follow the flags, and each kind
// of malformed image fails with KERN_INVALID_ARGUMENT leaving the map
// empty and no object behind.

#include <debug/ktest.h>
#include <kern/elf.h>
#include <kern/elf_load.h>
#include <kern/kalloc.h>
#include <vm/vm_fault.h>
#include <vm/vm_map.h>
#include <lib/string.h>
#include "vm_map_util.h"

#define IMG_SIZE   0x3000
#define TEXT_VA    0x401000ul
#define TEXT_OFF   0x1000
#define TEXT_BYTES 64
#define DATA_VA    0x403010ul
#define DATA_OFF   0x2000
#define DATA_BYTES 32
#define DATA_MEM   0x3000

struct image {
    uint8_t *buf;
    struct elf64_ehdr *eh;
    struct elf64_phdr *ph; // two: text (R+X), data (R+W, with bss)
};

// A valid two-segment ET_EXEC image; tests break one field at a time.
static bool
image_build(struct image *im)
{
    im->buf = kalloc(IMG_SIZE);
    if (im->buf == NULL)
        return false;
    memset(im->buf, 0, IMG_SIZE);
    im->eh = (struct elf64_ehdr *)im->buf;
    im->ph = (struct elf64_phdr *)(im->buf + sizeof(struct elf64_ehdr));
    memcpy(im->eh->e_ident,
           "\x7f"
           "ELF",
           4);
    im->eh->e_ident[EI_CLASS] = ELFCLASS64;
    im->eh->e_ident[EI_DATA] = ELFDATA2LSB;
    im->eh->e_ident[EI_VERSION] = EV_CURRENT;
    im->eh->e_type = ET_EXEC;
    im->eh->e_machine = EM_X86_64;
    im->eh->e_version = EV_CURRENT;
    im->eh->e_entry = TEXT_VA + 4;
    im->eh->e_phoff = sizeof(struct elf64_ehdr);
    im->eh->e_ehsize = sizeof(struct elf64_ehdr);
    im->eh->e_phentsize = sizeof(struct elf64_phdr);
    im->eh->e_phnum = 2;
    im->ph[0] = (struct elf64_phdr){PT_LOAD, PF_R | PF_X, TEXT_OFF,   TEXT_VA,
                                    TEXT_VA, TEXT_BYTES,  TEXT_BYTES, PAGE_SIZE};
    im->ph[1] = (struct elf64_phdr){PT_LOAD, PF_R | PF_W, DATA_OFF, DATA_VA,
                                    DATA_VA, DATA_BYTES,  DATA_MEM, PAGE_SIZE};
    for (int i = 0; i < TEXT_BYTES; i++)
        im->buf[TEXT_OFF + i] = (uint8_t)(0x90 + i);
    for (int i = 0; i < DATA_BYTES; i++)
        im->buf[DATA_OFF + i] = (uint8_t)(0xd0 + i);
    return true;
}

static void
image_free(struct image *im)
{
    kfree(im->buf, IMG_SIZE);
}

KTEST(elf, load_places_bytes_and_zero_fills_the_rest)
{
    struct image im;
    struct vm_map *map = vm_map_create();
    vaddr_t entry = 0;
    uint8_t got[TEXT_BYTES];

    KT_ASSERT(map != NULL && image_build(&im));
    KT_EQ(elf_load(map, im.buf, IMG_SIZE, &entry), KERN_SUCCESS);
    KT_EQ(entry, TEXT_VA + 4);
    KT_EQ(vm_map_entry_count(map), 2);
    KT_EQ(vm_map_read(map, TEXT_VA, got, TEXT_BYTES), KERN_SUCCESS);
    KT_EQ(memcmp(got, im.buf + TEXT_OFF, TEXT_BYTES), 0);
    KT_EQ(vm_map_read(map, DATA_VA, got, sizeof(got)), KERN_SUCCESS);
    KT_EQ(memcmp(got, im.buf + DATA_OFF, DATA_BYTES), 0);
    for (int i = DATA_BYTES; i < (int)sizeof(got); i++)
        KT_EQ(got[i], 0); // bss
    KT_EQ(vm_map_read(map, DATA_VA - 0x10, got, 0x10), KERN_SUCCESS);
    KT_EQ(got[0] | got[15], 0); // before the first byte, same page
    KT_EQ(vm_map_read(map, ROUND_UP(DATA_VA + DATA_MEM, PAGE_SIZE) - 1, got, 1), KERN_SUCCESS);
    KT_EQ(vm_map_read(map, ROUND_UP(DATA_VA + DATA_MEM, PAGE_SIZE), got, 1), KERN_INVALID_ADDRESS);
    KT_EQ(vm_fault(map, TEXT_VA, VM_PROT_EXECUTE), KERN_SUCCESS);
    KT_EQ(vm_fault(map, TEXT_VA, VM_PROT_WRITE), KERN_PROTECTION_FAILURE);
    KT_EQ(vm_fault(map, DATA_VA, VM_PROT_WRITE), KERN_SUCCESS);
    KT_EQ(vm_fault(map, DATA_VA, VM_PROT_EXECUTE), KERN_PROTECTION_FAILURE);
    image_free(&im);
    vm_map_deallocate(map);
}

KTEST(elf, dyn_image_loads_at_the_fixed_base)
{
    struct image im;
    struct vm_map *map = vm_map_create();
    vaddr_t entry = 0;
    uint8_t b = 0;

    KT_ASSERT(map != NULL && image_build(&im));
    im.eh->e_type = ET_DYN;
    KT_EQ(elf_load(map, im.buf, IMG_SIZE, &entry), KERN_SUCCESS);
    KT_EQ(entry, ELF_DYN_BASE + TEXT_VA + 4);
    KT_EQ(vm_map_read(map, ELF_DYN_BASE + TEXT_VA + 1, &b, 1), KERN_SUCCESS);
    KT_EQ(b, 0x91);
    image_free(&im);
    vm_map_deallocate(map);
}

enum breakage {
    BAD_MAGIC,
    BAD_CLASS,
    BAD_MACHINE,
    BAD_TYPE,
    PHDRS_BEYOND_FILE,
    SEGMENT_BEYOND_FILE,
    SEGMENT_IN_KERNEL_SPACE,
    SEGMENT_BELOW_USER_MIN,
    HUGE_MEMSZ,
    FILESZ_OVER_MEMSZ,
    OVERLAPPING_SEGMENTS,
    ENTRY_NOT_EXECUTABLE,
    HAS_INTERPRETER,
    TRUNCATED_HEADER,
    BREAKAGES,
};

// Breaks the image one way; returns the size to pass to elf_load.
static size_t
image_break(struct image *im, enum breakage how)
{
    switch (how) {
    case BAD_MAGIC:
        im->eh->e_ident[1] = 'e';
        break;
    case BAD_CLASS:
        im->eh->e_ident[EI_CLASS] = 1;
        break;
    case BAD_MACHINE:
        im->eh->e_machine = 3;
        break;
    case BAD_TYPE:
        im->eh->e_type = 4;
        break;
    case PHDRS_BEYOND_FILE:
        im->eh->e_phoff = IMG_SIZE - 60;
        break;
    case SEGMENT_BEYOND_FILE:
        im->ph[1].p_filesz = IMG_SIZE;
        break;
    case SEGMENT_IN_KERNEL_SPACE:
        im->ph[1].p_vaddr = DIRECT_MAP_BASE;
        break;
    case SEGMENT_BELOW_USER_MIN:
        im->ph[1].p_vaddr = 0x10;
        break;
    case HUGE_MEMSZ:
        im->ph[1].p_memsz = 1ul << 60;
        break;
    case FILESZ_OVER_MEMSZ:
        im->ph[1].p_filesz = DATA_MEM + 1;
        break;
    case OVERLAPPING_SEGMENTS:
        im->ph[1].p_vaddr = TEXT_VA + 0x800;
        break;
    case ENTRY_NOT_EXECUTABLE:
        im->eh->e_entry = DATA_VA;
        break;
    case HAS_INTERPRETER:
        im->ph[0].p_type = PT_INTERP;
        break;
    case TRUNCATED_HEADER:
        return sizeof(struct elf64_ehdr) - 1;
    case BREAKAGES:
        break;
    }
    return IMG_SIZE;
}

KTEST(elf, malformed_images_fail_invalid_argument_and_leave_the_map_empty)
{
    struct vm_map *map = vm_map_create();

    KT_ASSERT(map != NULL);
    for (int how = 0; how < BREAKAGES; how++) {
        struct image im;
        vaddr_t entry = 0xdead;
        KT_ASSERT(image_build(&im));
        size_t size = image_break(&im, (enum breakage)how);
        size_t objects = vm_object_count();
        kern_return_t kr = elf_load(map, im.buf, size, &entry);
        image_free(&im);
        if (kr != KERN_INVALID_ARGUMENT)
            ktest_fail(__FILE__, __LINE__, "breakage %d: elf_load returned %d", how, kr);
        KT_EQ(kr, KERN_INVALID_ARGUMENT);
        KT_EQ(entry, 0xdead);
        KT_EQ(vm_map_entry_count(map), 0);
        KT_EQ(vm_object_count(), objects);
    }
    vm_map_deallocate(map);
}

KTEST(elf, occupied_range_fails_no_space_and_undoes_the_first_segment)
{
    struct image im;
    struct vm_map *map = vm_map_create();
    vaddr_t blocker = ROUND_DOWN(DATA_VA, PAGE_SIZE), entry = 0;

    KT_ASSERT(map != NULL && image_build(&im));
    KT_EQ(vm_map_enter(map, &blocker, PAGE_SIZE, 0, false, NULL, 0, VM_PROT_READ, VM_PROT_ALL,
                       VM_INHERIT_COPY),
          KERN_SUCCESS);
    size_t objects = vm_object_count();
    KT_EQ(elf_load(map, im.buf, IMG_SIZE, &entry), KERN_NO_SPACE);
    KT_EQ(vm_map_entry_count(map), 1); // only the blocker
    KT_EQ(vm_map_size(map), PAGE_SIZE);
    KT_EQ(vm_object_count(), objects);
    image_free(&im);
    vm_map_deallocate(map);
}

KTEST(elf, setup_stack_builds_argc_argv_envp_auxv)
{
    static const char *const argv[] = {"init", "-v", NULL};
    static const char *const envp[] = {"TERM=quay", NULL};
    struct vm_map *map = vm_map_create();
    vaddr_t rsp = 0;
    uint64_t w[8];
    char s[16];

    KT_ASSERT(map != NULL);
    KT_EQ(elf_setup_stack(map, argv, envp, &rsp), KERN_SUCCESS);
    KT_EQ(rsp % 16, 0);
    KT_ASSERT(rsp < ELF_STACK_TOP && rsp >= ELF_STACK_TOP - ELF_ARGS_MAX);
    KT_EQ(vm_map_read(map, rsp, w, sizeof(w)), KERN_SUCCESS);
    KT_EQ(w[0], 2); // argc
    KT_EQ(w[3], 0); // end of argv
    KT_EQ(w[5], 0); // end of envp
    KT_EQ(w[6], AT_PAGESZ);
    KT_EQ(w[7], PAGE_SIZE);
    KT_EQ(vm_map_read(map, w[2], s, 3), KERN_SUCCESS);
    KT_EQ(memcmp(s, "-v", 3), 0);
    KT_EQ(vm_map_read(map, w[4], s, 10), KERN_SUCCESS);
    KT_EQ(memcmp(s, "TERM=quay", 10), 0);
    KT_EQ(vm_map_read(map, rsp + 8 * 8, w, 16), KERN_SUCCESS);
    KT_EQ(w[0] | w[1], 0); // AT_NULL
    vaddr_t bottom = ELF_STACK_TOP - ELF_STACK_SIZE;
    KT_EQ(vm_fault(map, bottom, VM_PROT_WRITE), KERN_SUCCESS);
    KT_EQ(vm_fault(map, bottom - 1, VM_PROT_WRITE), KERN_PROTECTION_FAILURE); // the guard
    KT_EQ(elf_setup_stack(map, argv, envp, &rsp), KERN_NO_SPACE);
    KT_EQ(vm_map_entry_count(map), 2);
    vm_map_deallocate(map);
}

KTEST(elf, load_and_stack_leave_nothing_behind_after_destroy)
{
    struct vm_counts before = {0};

    for (int round = 0; round < 2; round++) { // round 0 warms the zones
        struct image im;
        vaddr_t entry, rsp;
        if (round == 1)
            before = vm_counts_now();
        struct vm_map *map = vm_map_create();
        KT_ASSERT(map != NULL && image_build(&im));
        KT_EQ(elf_load(map, im.buf, IMG_SIZE, &entry), KERN_SUCCESS);
        KT_EQ(elf_setup_stack(map, NULL, NULL, &rsp), KERN_SUCCESS);
        KT_EQ(vm_fault(map, entry, VM_PROT_EXECUTE), KERN_SUCCESS);
        vm_map_deallocate(map);
        image_free(&im);
    }
    struct vm_counts after = vm_counts_now();
    KT_EQ(after.free_pages, before.free_pages);
    KT_EQ(after.table_pages, before.table_pages);
    KT_EQ(after.objects, before.objects);
}
