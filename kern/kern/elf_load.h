/* SPDX-License-Identifier: MIT
 *
 * Loading ELF64 x86-64 executables into an address map, and building the
 * initial user stack (elf_load.c).  Used for the boot modules: module i's
 * image is phys_to_virt(boot_info.mods[i].start), boot_info.mods[i].end -
 * .start bytes long (kern/bootinfo.h; the pages stay reserved).
 *
 * Fixed layout of what the loader creates:
 *   ET_EXEC segments   where their program headers say (in user space)
 *   ET_DYN segments    the same, moved up by ELF_DYN_BASE
 *   stack              [ELF_STACK_TOP - ELF_STACK_SIZE, ELF_STACK_TOP), read/write
 *   guard              ELF_STACK_GUARD bytes below the stack, mapped with no
 *                      access so an overflow faults and nothing else is
 *                      placed there
 */
#ifndef _KERN_ELF_LOAD_H_
#define _KERN_ELF_LOAD_H_

#include <kern/types.h>
#include <mach/kern_return.h>
#include <machine/vmparam.h>

struct vm_map;

#define ELF_DYN_BASE     0x0000000000400000ul
#define ELF_STACK_TOP    (USER_MAX - 0x10000ul)
#define ELF_STACK_SIZE   0x100000ul /* 1 MiB */
#define ELF_STACK_GUARD  0x10000ul  /* 64 KiB */
#define ELF_ARGS_MAX     0x40000ul  /* 256 KiB of argv, envp, auxv and strings */
#define ELF_PHNUM_MAX    64
#define ELF_SEGMENTS_MAX 16 /* PT_LOAD segments */

/* Maps the PT_LOAD segments of the ELF64 image [image, image + size) into
 * map, each with the protection of its flags (maximum: all, inheritance
 * COPY), file bytes copied and the rest zero-filled, and writes the entry
 * point to *entry.  The image is checked completely before the map
 * changes: it must be a little-endian ELF64 ET_EXEC (or ET_DYN, loaded at
 * ELF_DYN_BASE) for x86-64 with no interpreter, its program headers and
 * segment bytes inside the image, filesz <= memsz, segments inside user
 * space without address overflow and not sharing any page, the entry point
 * in an executable segment.  The image is only read (the map gets copies).
 * Takes the map lock and allocates: call with no spinlock held.  Returns
 *   KERN_SUCCESS;
 *   KERN_INVALID_ARGUMENT: the image breaks any rule above;
 *   KERN_NO_SPACE: a segment's range is already used in map;
 *   KERN_RESOURCE_SHORTAGE: out of memory.
 * On failure the map is as it was. */
kern_return_t elf_load(struct vm_map *map, const void *image, size_t size, vaddr_t *entry);

/* Maps the stack and its guard (see above) in map and writes the System V
 * initial process stack at its top: argc, the argv pointers, NULL, the
 * envp pointers, NULL, the auxiliary vector (AT_PAGESZ, AT_NULL), then the
 * strings; *user_rsp gets the address of argc, 16-byte aligned, for the
 * new thread's %rsp.  argv and envp are NULL-terminated arrays of kernel
 * strings (either may be NULL, meaning empty).  Returns KERN_SUCCESS,
 * KERN_INVALID_ARGUMENT (more than ELF_ARGS_MAX bytes), KERN_NO_SPACE (the
 * stack range is taken) or KERN_RESOURCE_SHORTAGE; on failure the map is
 * as it was. */
kern_return_t elf_setup_stack(struct vm_map *map, const char *const *argv, const char *const *envp,
                              vaddr_t *user_rsp);

#endif
